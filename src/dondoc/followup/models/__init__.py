"""The follow-up's models, one module per part (Django finds them through this package)."""

from dondoc.followup.models.dashboards import KeptDashboard  # noqa: F401
from dondoc.followup.models.inspections import (  # noqa: F401
    Finding,
    Inspection,
    InspectionState,
    Recommendation,
)
from dondoc.followup.models.periods import FrequencyChoice, ReportingSchedule  # noqa: F401
from dondoc.followup.models.reminders import (  # noqa: F401
    ChannelChoice,
    ManualFollowUp,
    RecipientKind,
    ReminderChannel,
    ReminderRule,
    ReminderTiming,
    SentReminder,
)
from dondoc.followup.models.reports import ReportJob, ReportJobState  # noqa: F401
