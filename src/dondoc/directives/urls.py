"""Every route of the directive pages, grouped by area, in the order Django has always tried them."""

from django.urls import path

from dondoc.directives.views import chain, find, imports, reports

app_name = "directives"
urlpatterns = [
    # a body's inbox, the assignment page and its actions, attached files, notices (views/reports.py)
    path("assignments/", reports.inbox, name="inbox"),
    path("assignments/<int:pk>/", reports.assignment, name="assignment"),
    path("assignments/<int:pk>/reports/", reports.draft_report, name="draft_report"),
    path("assignments/<int:pk>/extensions/", reports.request_extension, name="request_extension"),
    path("reports/<int:pk>/approve/", reports.approve_report, name="approve_report"),
    path("reports/<int:pk>/confirm/", reports.confirm_report, name="confirm_report"),
    path("reports/<int:pk>/return/", reports.return_report, name="return_report"),
    path("extensions/<int:pk>/decide/", reports.decide_extension, name="decide_extension"),
    path("attachments/<int:pk>/", reports.attachment, name="attachment"),
    path("notifications/", reports.notifications, name="notifications"),
    path("notifications/read/", reports.notifications_read, name="notifications_read"),
    # import, review and publish: the monitor's and the administrator's (views/imports.py)
    path("import/", imports.import_directive, name="import"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("<int:pk>/review/", imports.review, name="review"),
    path("<int:pk>/review/tasks/<int:task_pk>/", imports.review_task, name="review_task"),
    path("<int:pk>/review/bodies/", imports.review_bodies, name="review_bodies"),
    path("<int:pk>/publish/", imports.publish, name="publish"),
    # the list, a directive's task × body page, search, the citation trail, the change log (views/find.py)
    path("", find.directive_list, name="list"),
    path("<int:pk>/", find.directive_detail, name="detail"),
    path("search/", find.search, name="search"),
    path("pick/directive/", find.pick_directive, name="pick_directive"),
    path("pick/body/", find.pick_body, name="pick_body"),
    path("pick/user/", find.pick_user, name="pick_user"),
    path("cited/", find.cited, name="cited"),
    path("history/", find.history, name="history"),
    path("history/<str:model>/<int:pk>/", find.object_history, name="object_history"),
    # the chain of implementation: its page, and the links of a directive's tasks (views/chain.py)
    path("<int:pk>/chain/", chain.chain, name="chain"),
    path("<int:pk>/links/propose/", chain.propose_links, name="propose_links"),
    path("<int:pk>/tasks/<int:task_pk>/link/", chain.link_task, name="link_task"),
]
