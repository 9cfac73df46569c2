"""What the case form is filled with, for the tests of opening and editing cases."""


def case_form_data(case_fields, **overrides):
    data = {
        **{
            name: value.pk if hasattr(value, "pk") else value for name, value in case_fields.items()
        },
        "user_agreement": "not_asked",
        "household_members-TOTAL_FORMS": "2",
        "household_members-INITIAL_FORMS": "0",
        "household_members-MIN_NUM_FORMS": "0",
        "household_members-MAX_NUM_FORMS": "20",
    }
    data["interpreter_needed"] = "on"
    data.update(overrides)
    return data
