from django.utils import translation


class UserLanguageMiddleware:
    """Use the language saved on a signed-in person's account.

    Runs after authentication; LocaleMiddleware has already chosen a language from the
    cookie or Accept-Language, which is what anonymous visitors keep.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
