from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.core.models import Topic
from kindred.core.ratelimit import over_limit
from kindred.library import services
from kindred.library.access import get_story_for
from kindred.library.decorators import capture_referral, staff_required
from kindred.library.forms import ModerateStoryForm, StoryForm
from kindred.library.models import Story
from kindred.places.models import State


@capture_referral
def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories, by place and by theme."""
    stories = Story.objects.published().select_related("state").prefetch_related("topics")
    state = State.objects.filter(usps=request.GET.get("state", "").upper()[:2]).first()
    topic = Topic.objects.filter(slug=request.GET.get("topic", "")[:60]).first()
    if state:
        stories = stories.filter(state=state)
    if topic:
        stories = stories.filter(topics=topic)
    page = Paginator(stories, 12).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "topic": topic,
        "states": State.objects.filter(pk__in=Story.objects.published().values("state")).order_by(
            "name"
        ),
        "topics": Topic.objects.filter(pk__in=Story.objects.published().values("topics")).order_by(
            "name_en"
        ),
    }
    template = "library/story_list.html"
    if request.htmx:
        template += "#stories"
    return render(request, template, context)


TOO_MANY = gettext_lazy(
    "Several stories have come from this connection in the last few minutes. "
    "Thank you! Please wait ten minutes and share again."
)


def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for(request.user, pk)
    return render(
        request,
        "library/story_detail.html",
        {
            "story": story,
            "topics": list(story.topics.all()),
            "can_withdraw": story.can_withdraw(request.user),
        },
    )


def story_create(request: HttpRequest) -> HttpResponse:
    """Anyone may share a story; it waits for moderation before anyone else sees it."""
    user = request.user if request.user.is_authenticated else None
    initial = {"language": (get_language() or "en")[:2]}
    if user:
        initial.update(teller_name=user.name, teller_email=user.email)
    form = StoryForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "story"):
            form.add_error(None, TOO_MANY)
            return render(request, "library/story_form.html", {"form": form}, status=429)
        data = form.cleaned_data
        story = services.submit_story(
            title=data["title"],
            body=data["body"],
            teller_name=data["teller_name"],
            teller_email=user.email if user else data["teller_email"],
            teller_role=data["teller_role"],
            attribution=data["attribution"],
            submitted_by=user,
            language=data["language"],
            topics=data["topics"],
            state=data["state"],
            photo=data.get("photo"),
            photo_alt=data.get("photo_alt", ""),
            consent_photo=data.get("consent_photo", False),
        )
        return render(request, "library/story_thanks.html", {"story": story})
    return render(request, "library/story_form.html", {"form": form})


@require_POST
@login_required
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for(request.user, pk)
    if not story.can_withdraw(request.user):
        raise PermissionDenied
    services.withdraw_story(story, by=request.user)
    messages.success(request, _("Your story has been withdrawn. It is no longer shown to anyone."))
    return redirect("library:story-list")


@staff_required
def story_moderation(request: HttpRequest) -> HttpResponse:
    waiting = Story.objects.filter(status=Story.Status.SUBMITTED).select_related("state")
    return render(
        request,
        "library/story_moderation.html",
        {"stories": list(waiting.order_by("created")[:100]), "form": ModerateStoryForm()},
    )


@require_POST
@staff_required
def story_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk)
    form = ModerateStoryForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("library:story-moderation")
    publish = form.cleaned_data["decision"] == "publish"
    try:
        services.moderate_story(
            story, by=request.user, publish=publish, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("library:story-moderation")
    if publish:
        messages.success(request, _("“%(title)s” is published.") % {"title": story.title})
    else:
        messages.success(
            request,
            _("“%(title)s” was not published; the storyteller will hear why.")
            % {"title": story.title},
        )
    return redirect("library:story-moderation")
