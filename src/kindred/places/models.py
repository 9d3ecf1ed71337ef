from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class State(models.Model):
    """A US state, the District of Columbia or a territory."""

    fips = models.CharField(_("FIPS code"), max_length=2, primary_key=True)
    usps = models.CharField(_("USPS code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_territory = models.BooleanField(_("territory"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:state", args=[self.usps.lower()])


class County(models.Model):
    """A county or county-equivalent (parish, borough, census area, independent city...)."""

    fips = models.CharField(_("FIPS code"), max_length=5, primary_key=True)
    state = models.ForeignKey(State, models.PROTECT, related_name="counties")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["state__name", "name"]
        indexes = [models.Index(fields=["name"], name="places_county_name_idx")]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """ "Tulsa County, OK" (select_related("state") to avoid a query)."""
        return f"{self.name}, {self.state.usps}"


class ZipCode(models.Model):
    """A 5-digit ZIP code and the county most of its addresses lie in."""

    code = models.CharField(_("ZIP code"), max_length=5, primary_key=True)
    state = models.ForeignKey(State, models.PROTECT, related_name="zip_codes")
    county = models.ForeignKey(County, models.PROTECT, related_name="zip_codes")
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="places_zip_location_idx"),
        ]
        verbose_name = _("ZIP code")
        verbose_name_plural = _("ZIP codes")

    def __str__(self) -> str:
        return self.code
