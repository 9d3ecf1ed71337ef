import re

from django import forms

from kindred.core.forms import FormRenderer


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="As you like to be called.")
    email = forms.EmailField(label="Email")
    nickname = forms.CharField(label="Nickname", required=False)
    colour = forms.ChoiceField(
        label="Colour", choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def _input(html: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, f"no input with id {field_id}"
    return match.group(0)


def test_the_renderer_is_the_default():
    assert isinstance(ExampleForm().renderer, FormRenderer)


def test_errors_are_summarised_with_links_to_each_field():
    html = str(ExampleForm(data={"email": "not an email", "token": "x"}))
    summary = html[html.index('class="error-summary"') : html.index("</div>")]
    assert 'role="alert"' in html[: html.index("</div>")]
    assert '<a href="#id_name">Your name: This field is required.</a>' in summary
    assert '<a href="#id_email">Email: Enter a valid email address.</a>' in summary
    # A group of radio buttons has no input called id_colour: link to the first button.
    assert 'href="#id_colour_0"' in summary
    assert 'href="#id_agree"' in summary
    assert "Something about the whole form." in summary
    # The optional field is fine, so it is not in the summary.
    assert "#id_nickname" not in summary


def test_an_invalid_input_is_marked_and_described_by_help_and_error():
    html = str(ExampleForm(data={"email": "x"}))
    name = _input(html, "id_name")
    assert 'aria-invalid="true"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert 'id="id_name_helptext"' in html
    assert '<ul class="field-errors" id="id_name_error"><li>This field is required.</li>' in html
    email = _input(html, "id_email")
    assert 'aria-invalid="true"' in email and 'aria-describedby="id_email_error"' in email
    # Groups carry their description on the fieldset.
    assert '<fieldset aria-describedby="id_colour_error">' in html


def test_a_valid_field_is_not_marked_invalid():
    html = str(ExampleForm(data={"name": "Ana"}))
    name = _input(html, "id_name")
    assert "aria-invalid" not in name
    assert 'aria-describedby="id_name_helptext"' in name


def test_an_unbound_form_has_labels_and_no_summary():
    html = str(ExampleForm())
    assert "error-summary" not in html
    assert '<label for="id_name">Your name</label>' in html
    assert "<legend>Colour</legend>" in html
    assert '<label for="id_nickname">Nickname <span class="optional">(optional)</span>' in html
    # A single check box sits inside its label.
    assert re.search(r'<label class="checkbox-label" for="id_agree"><input[^>]+> I agree', html)
    assert 'type="hidden" name="token"' in html


def test_input_typed_is_kept_after_an_error():
    html = str(ExampleForm(data={"name": "Ana María", "email": "bad"}))
    assert 'value="Ana María"' in _input(html, "id_name")
    assert 'value="bad"' in _input(html, "id_email")
