from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Every ``{{ form }}`` renders with Kindred's accessible templates: an error summary
    that links to each field, labels on every control, help and errors tied to inputs."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
