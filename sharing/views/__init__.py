"""sharing's pages, one module per concern: cases and referrals, the Authority's consents, and
disclosures; `access` finds the record a page shows or refuses it. sharing/urls.py names them."""
