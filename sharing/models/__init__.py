"""Cases and the consent gate's records, one module per concern."""

from sharing.models.cases import *  # noqa: F403
from sharing.models.consent import *  # noqa: F403
from sharing.models.delivery import *  # noqa: F403
from sharing.models.referrals import *  # noqa: F403
from sharing.models.retention import *  # noqa: F403
