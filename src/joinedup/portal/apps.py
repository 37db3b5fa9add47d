from django.apps import AppConfig


class PortalConfig(AppConfig):
    """ "My support": the person's own place — their case, plan, messages and who looked — through the one door."""

    name = "joinedup.portal"
    label = "portal"
    verbose_name = "The person's own place"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django's app registry: models can be imported only once every app is loaded.
        from joinedup.access.decision import ACTOR_PEOPLE
        from joinedup.accounts.api import ME_EXTRAS
        from joinedup.accounts.second_factor import PEOPLES_PLACE, PeoplesPlace
        from joinedup.portal.selectors import is_person_account, own_people, person_of_me

        ACTOR_PEOPLE.append(own_people)
        ME_EXTRAS.append(person_of_me)
        # A person is never sent to the practitioners' second-factor or sign-in pages (accounts.middleware).
        PEOPLES_PLACE.append(
            PeoplesPlace(
                is_person=is_person_account,
                second_factor_step="portal:passkey_check",
                signed_out="portal:signed_out",
                may_see_before_second_factor=frozenset(
                    {
                        "portal:passkey_check",
                        "portal:passkey_words",
                        "portal:sign_in",
                        "portal:sign_out",
                        "portal:signed_out",
                        "portal:new_link",
                        "portal:new_link_sent",
                        "portal:passkey_sign_in_begin",
                        "portal:passkey_sign_in_complete",
                    }
                ),
            )
        )
