"""Meetings in calendars: iCalendar files, invitations by e-mail and their delivery, and feeds."""
