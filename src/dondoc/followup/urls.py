from django.urls import path

from dondoc.followup.views import channels, dashboard, directive_followup, inspections, reminders, reports

app_name = "followup"
urlpatterns = [
    # the dashboards: overall and one body's, each exported with its filters by ?format=xlsx
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("bodies/<int:pk>/", dashboard.body_dashboard, name="body_dashboard"),
    # inspections: the list (?state=, ?body=), planning, an inspection's page, its actions
    path("inspections/", inspections.inspections, name="inspections"),
    path("inspections/plan/", inspections.plan_inspection, name="plan_inspection"),
    path("inspections/<int:pk>/", inspections.inspection, name="inspection"),
    path("inspections/<int:pk>/plan/", inspections.update_inspection, name="update_inspection"),
    path("inspections/<int:pk>/findings/", inspections.record_finding, name="record_finding"),
    path("inspections/<int:pk>/conclude/", inspections.conclude_inspection, name="conclude_inspection"),
    # the inspection a conclusion (a directive) came from, linked from the directive's page
    path("directives/<int:pk>/inspection/", inspections.concluded_inspection, name="concluded_inspection"),
    path(
        "findings/<int:pk>/recommendations/", inspections.record_recommendation, name="record_recommendation"
    ),
    # reminders: the follow-up a monitor sends by hand to a directive's late bodies (views/reminders.py)
    path("directives/<int:pk>/followup/", reminders.send_followup, name="send_followup"),
    # the follow-up letter (công văn đôn đốc) to the chosen bodies, as .docx
    path("directives/<int:pk>/followup/letter/", reminders.followup_letter, name="followup_letter"),
    # the periodic report: ask for one (and the list), its progress, its two files (part: report or annex)
    path("reports/", reports.reports, name="reports"),
    path("reports/<int:pk>/", reports.report_job, name="report_job"),
    path("reports/<int:pk>/<str:part>/", reports.download_report, name="download_report"),
    # each user's own choice of reminder channels (views/channels.py)
    path("channels/", channels.channels, name="channels"),
    # a directive's follow-up by period: its task × body grid with the periods of tasks without an end date
    path("directives/<int:pk>/", directive_followup.directive_followup, name="directive_followup"),
]
