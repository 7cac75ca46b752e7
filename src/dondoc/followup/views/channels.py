"""Each user's own page of reminder channels ("each user chooses per channel"): in the application, by
e-mail. Open to every role, like the API tokens page; it shows the address e-mail goes to, and says plainly
when e-mail is chosen but cannot be sent for want of an address. guard → form → service → message →
redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import User
from dondoc.followup.forms.channels import ChannelsForm
from dondoc.followup.models.reminders import ReminderChannel
from dondoc.followup.selectors.channels import channels_of, is_reminded
from dondoc.followup.services.channels import choose_channels


@never_cache
@role_required()
def channels(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    chosen = channels_of(user=user)
    # not `request.POST or None`: a form with every box unticked posts no field of the form
    form = ChannelsForm(request.POST if request.method == "POST" else None, initial=chosen)
    if form.is_valid():
        choose_channels(user=user, wanted=form.cleaned_data)
        messages.success(request, _("Your reminder channels are saved."))
        return redirect("followup:channels")
    context = {
        "form": form,
        "email": user.email,
        "email_without_address": chosen[ReminderChannel.EMAIL.value] and not user.email,
        "reminded": is_reminded(scope(request).memberships),
    }
    return render(request, "followup/channels.html", context)
