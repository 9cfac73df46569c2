from django import forms

from core.forms import GovukForm
from notifications.models import Delivery, NotificationKind


class PreferenceForm(GovukForm):
    title = "Change a notification setting"
    submit_label = "Save setting"

    kind = forms.ChoiceField(
        label="Notification",
        choices=NotificationKind.choices,
        error_messages={"invalid_choice": "Choose a kind of notification from the list"},
    )
    delivery = forms.ChoiceField(
        label="How do you want to be told?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose immediately, a daily digest or off",
            "invalid_choice": "Choose immediately, a daily digest or off",
        },
    )
