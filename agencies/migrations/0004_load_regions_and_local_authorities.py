"""Reference data: the four regions and their upper-tier local authorities.

Codes and names checked against the ONS lower-tier to upper-tier lookup (April 2023) and the
district-to-region lookup (December 2024). Re-check each April: reorganisation is due to replace
the two-tier counties (E10 codes) from 1 April 2028.
"""

from django.db import migrations

REGIONS = {
    "E12000002": (
        "North West",
        [
            ("E06000008", "Blackburn with Darwen", ""),
            ("E06000009", "Blackpool", ""),
            ("E08000001", "Bolton", ""),
            ("E08000002", "Bury", ""),
            ("E06000049", "Cheshire East", ""),
            ("E06000050", "Cheshire West and Chester", ""),
            ("E06000063", "Cumberland", ""),
            ("E06000006", "Halton", ""),
            ("E08000011", "Knowsley", ""),
            ("E10000017", "Lancashire", ""),
            ("E08000012", "Liverpool", ""),
            ("E08000003", "Manchester", ""),
            ("E08000004", "Oldham", ""),
            ("E08000005", "Rochdale", ""),
            ("E08000006", "Salford", ""),
            ("E08000014", "Sefton", ""),
            ("E08000013", "St Helens", "St. Helens"),
            ("E08000007", "Stockport", ""),
            ("E08000008", "Tameside", ""),
            ("E08000009", "Trafford", ""),
            ("E06000007", "Warrington", ""),
            ("E06000064", "Westmorland and Furness", ""),
            ("E08000010", "Wigan", ""),
            ("E08000015", "Wirral", ""),
        ],
    ),
    "E12000005": (
        "West Midlands",
        [
            ("E08000025", "Birmingham", ""),
            ("E08000026", "Coventry", ""),
            ("E08000027", "Dudley", ""),
            ("E06000019", "Herefordshire", "Herefordshire, County of"),
            ("E08000028", "Sandwell", ""),
            ("E06000051", "Shropshire", ""),
            ("E08000029", "Solihull", ""),
            ("E10000028", "Staffordshire", ""),
            ("E06000021", "Stoke-on-Trent", ""),
            ("E06000020", "Telford and Wrekin", ""),
            ("E08000030", "Walsall", ""),
            ("E10000031", "Warwickshire", ""),
            ("E08000031", "Wolverhampton", ""),
            ("E10000034", "Worcestershire", ""),
        ],
    ),
    "E12000004": (
        "East Midlands",
        [
            ("E06000015", "Derby", ""),
            ("E10000007", "Derbyshire", ""),
            ("E06000016", "Leicester", ""),
            ("E10000018", "Leicestershire", ""),
            ("E10000019", "Lincolnshire", ""),
            ("E06000061", "North Northamptonshire", ""),
            ("E06000018", "Nottingham", ""),
            ("E10000024", "Nottinghamshire", ""),
            ("E06000017", "Rutland", ""),
            ("E06000062", "West Northamptonshire", ""),
        ],
    ),
    "E12000006": (
        "East of England",
        [
            ("E06000055", "Bedford", ""),
            ("E10000003", "Cambridgeshire", ""),
            ("E06000056", "Central Bedfordshire", ""),
            ("E10000012", "Essex", ""),
            ("E10000015", "Hertfordshire", ""),
            ("E06000032", "Luton", ""),
            ("E10000020", "Norfolk", ""),
            ("E06000031", "Peterborough", ""),
            ("E06000033", "Southend-on-Sea", ""),
            ("E10000029", "Suffolk", ""),
            ("E06000034", "Thurrock", ""),
        ],
    ),
}


def load(apps, schema_editor):
    Region = apps.get_model("agencies", "Region")
    LocalAuthority = apps.get_model("agencies", "LocalAuthority")
    for region_code, (region_name, authorities) in REGIONS.items():
        region, _ = Region.objects.update_or_create(
            code=region_code, defaults={"name": region_name}
        )
        for code, name, ons_name in authorities:
            LocalAuthority.objects.update_or_create(
                code=code, defaults={"name": name, "ons_name": ons_name, "region": region}
            )


def unload(apps, schema_editor):
    apps.get_model("agencies", "LocalAuthority").objects.filter(
        code__in=[code for _, authorities in REGIONS.values() for code, _, _ in authorities]
    ).delete()
    apps.get_model("agencies", "Region").objects.filter(code__in=REGIONS).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_regions_and_local_authorities")]

    operations = [migrations.RunPython(load, unload)]
