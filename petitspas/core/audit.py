from django.db import models

from petitspas.core.models import AuditEntry


def audit_log(
    actor, action: str, target: models.Model | None = None, *, organisation=None, **details
) -> AuditEntry:
    """Record one entry; call it inside the service's transaction.

    ``action`` is written out as a literal at each call: ``ACTION_SENTENCES`` words every
    one of them, and a test reads the code base to check it."""
    if organisation is None and target is not None:
        organisation = getattr(target, "audit_organisation", None)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        details=details,
    )


# The audit log in words: what the person did, after their name ("Awa Diallo a ajouté une
# fermeture à Maison de quartier (Pantin)"). ``{objet}`` is the entry's target as it was
# named when the entry was written. Every action code passed to ``audit_log`` has a line
# here (core/tests/test_audit.py reads the code base for them).
ACTION_SENTENCES: dict[str, str] = {
    # Family files (the access log proper)
    "household.view": "a consulté le dossier de la famille {objet}",
    "household.create": "a créé le dossier de la famille {objet}",
    "household.update": "a modifié le dossier de la famille {objet}",
    "household.export": "a exporté les données de la famille {objet} (droit d'accès)",
    "household.anonymise": "a anonymisé la famille {objet} (droit à l'effacement)",
    "person.create": "a ajouté une personne à la famille {objet}",
    "person.update": "a modifié une personne de la famille {objet}",
    "person.delete": "a retiré une personne de la famille {objet}",
    # Sheets
    "attendance.record": "a enregistré la feuille de présence de la séance {objet}",
    "registration.add": "a inscrit une famille à la séance {objet}",
    "registration.wait": "a mis une famille sur la liste d'attente de la séance {objet}",
    "registration.remove": "a désinscrit une famille de la séance {objet}",
    "registration.offer": "a proposé une place libérée à une famille pour la séance {objet}",
    "registration.accept": "a confirmé la place proposée à une famille pour la séance {objet}",
    "registration.decline": "a noté qu'une famille ne prend pas la place proposée ({objet})",
    "place_request.create": (
        "a enregistré une demande de place reçue par l'agenda public ({objet})"
    ),
    "place_request.accept": "a accepté une demande de place ({objet})",
    "place_request.decline": "a refusé une demande de place ({objet})",
    "place_request.purge": "a effacé les demandes de place passées",
    "attendance.household_refused": (
        "a demandé une famille inconnue ou non autorisée sur la feuille de la séance {objet}"
    ),
    # Sites
    "site.create": "a créé le lieu {objet}",
    "site.update": "a modifié le lieu {objet}",
    "site.closure_add": "a ajouté une fermeture à {objet}",
    "site.closure_delete": "a supprimé une fermeture de {objet}",
    "site.relocation_add": "a ajouté un déménagement temporaire à {objet}",
    "site.relocation_delete": "a supprimé un déménagement temporaire de {objet}",
    # Activities
    "activity_type.create": "a créé l'activité {objet}",
    "activity_type.update": "a modifié l'activité {objet}",
    "facilitator.create": "a ajouté l'intervenant {objet}",
    "facilitator.update": "a modifié l'intervenant {objet}",
    "series.create": "a programmé la série {objet}",
    "series.update_from": "a modifié la série {objet} à partir d'une date",
    "session.create": "a créé la séance {objet}",
    "session.update": "a modifié la séance {objet}",
    "session.cancel": "a annulé la séance {objet}",
    "session.move": "a déplacé la séance {objet}",
    "session.relocation_keep": (
        "a maintenu la séance {objet} au lieu d'accueil de son déménagement temporaire"
    ),
    "sessions.calendar_cancel": (
        "a annulé en une fois des séances de {objet} tombées sur un lieu fermé"
    ),
    "sessions.calendar_move": (
        "a déplacé en une fois des séances de {objet} tombées sur un lieu fermé"
    ),
    "sessions.relocation_keep": (
        "a maintenu en une fois des séances de {objet} au lieu d'accueil d'un déménagement"
    ),
    "planning.clash_confirmed": "a confirmé {objet} malgré un conflit d'agenda",
    # Childcare on referral
    "referral.create": "a orienté une famille : {objet}",
    "referral.review": "a commencé l'étude d'une orientation : {objet}",
    "referral.accept": "a accepté une orientation : {objet}",
    "referral.wait": "a mis une orientation sur liste d'attente : {objet}",
    "referral.refuse": "a refusé une orientation : {objet}",
    "referral.end": "a terminé l'accueil d'une orientation : {objet}",
    "referral.anonymise": "a anonymisé une orientation refusée ou terminée : {objet}",
    "enrolment.create": "a inscrit un enfant : {objet}",
    "booking.create": "a réservé une demi-journée d'accueil : {objet}",
    "booking.cancel": "a annulé une demi-journée d'accueil : {objet}",
    "booking.offer": "a attribué une place libérée au premier de la liste d'attente : {objet}",
    "booking.wait": "a mis un enfant sur la liste d'attente d'une demi-journée : {objet}",
    "childcare_staff.add": "a ajouté une personne à l'équipe d'accueil : {objet}",
    "childcare_staff.update": "a modifié un membre de l'équipe d'accueil : {objet}",
    "childcare_staff.assign": "a prévu une personne sur une demi-journée d'accueil : {objet}",
    "childcare_staff.unassign": "a retiré une personne d'une demi-journée d'accueil : {objet}",
    "childcare_staff.copy_week": "a recopié l'équipe d'une semaine sur une autre à {objet}",
    "childcare.itinerary": "a tracé la tournée de la micro-crèche itinérante {objet}",
    "booking.remind": "a envoyé au parent le rappel de la veille : {objet}",
    "booking.check_in": "a noté l'arrivée d'un enfant : {objet}",
    "booking.check_out": "a noté le départ d'un enfant : {objet}",
    "booking.absence": "a noté l'absence d'un enfant : {objet}",
    "booking.presence_undo": "a annulé un pointage d'arrivée, de départ ou d'absence : {objet}",
    "programme.prescriber_link": "a ajouté un prescripteur au programme : {objet}",
    # Partner directory
    "directory.structure_create": "a ajouté la structure {objet} à l'annuaire",
    "directory.structure_update": "a modifié la structure {objet} dans l'annuaire",
    "directory.service_create": "a ajouté le service {objet} à l'annuaire",
    "directory.service_update": "a modifié le service {objet} dans l'annuaire",
    "directory.service_confirm": "a confirmé toujours exact le service {objet} de l'annuaire",
    "directory.import": "a importé des fiches dans l'annuaire (format data·inclusion)",
    "directory.guide_publish": "a publié l'édition {objet} du guide parentalité",
    # Point Info Famille desk and the partners' network
    "desk.appointment_create": "a donné un {objet} au Point Info Famille",
    "desk.appointment_cancel": "a annulé un {objet} au Point Info Famille",
    "desk.visit_create": "a noté un {objet} au Point Info Famille",
    "orientation.create": "a enregistré une {objet}",
    "orientation.follow_up": "a noté le suivi d'une {objet}",
    "desk.visit_update": "a corrigé un {objet} au Point Info Famille",
    "desk.visit_delete": "a supprimé un {objet} au Point Info Famille",
    "orientation.update": "a corrigé une {objet}",
    "orientation.delete": "a supprimé une {objet}",
    "network.item_update": "a corrigé une décision ou une action de la réunion {objet}",
    "network.item_delete": "a supprimé une décision ou une action de la réunion {objet}",
    "network.meeting_cancel": "a annulé la réunion de partenaires {objet}",
    "network.members_update": "a modifié les membres du groupe de partenaires {objet}",
    "network.meeting_create": "a programmé la réunion de partenaires {objet}",
    "network.invitations_send": "a envoyé les invitations à la réunion {objet}",
    "network.attendance": "a noté les présences à la réunion {objet}",
    "network.minutes": "a rédigé le compte rendu de la réunion {objet}",
    "network.campaign_open": "a ouvert la mise à jour du guide après la réunion {objet}",
    "network.registration_create": "a inscrit une personne à la session {objet}",
    "network.registration_cancel": "a annulé une inscription à la session {objet}",
    # Territorial diagnosis: the qualitative inquiry and its booklet
    "walk_registration.purge": "a effacé les contacts des inscrits aux parcours urbains passés",
    "inquiry.method_copy": "a copié la méthode du diagnostic dans le programme {objet}",
    "inquiry.record_create": "a créé l'enregistrement d'enquête {objet}",
    "inquiry.record_update": "a modifié l'enregistrement d'enquête {objet}",
    "inquiry.passage_code": "a codé un passage de l'enregistrement {objet}",
    "inquiry.passage_delete": "a retiré le codage d'un passage de l'enregistrement {objet}",
    "inquiry.attachment_add": "a joint un fichier à l'enregistrement {objet}",
    "inquiry.attachment_delete": "a supprimé un fichier joint à l'enregistrement {objet}",
    "inquiry.attachment_download": "a ouvert un fichier joint à l'enregistrement {objet}",
    "inquiry.code_create": "a ajouté {objet} à la grille de codage",
    "inquiry.code_update": "a modifié {objet} dans la grille de codage",
    "inquiry.booklet_section_save": "a écrit la section {objet} du livret méthodologique",
    "inquiry.booklet_section_delete": "a retiré la section {objet} du livret méthodologique",
    "inquiry.booklet_publish": "a publié l'édition {objet} du livret méthodologique",
    # The territorial diagnosis' participation (places, walks, groups)
    "diagnosis.place_propose": "a proposé le lieu ressource {objet}",
    "diagnosis.place_locate": "a placé sur la carte le lieu proposé {objet}",
    "diagnosis.place_validate": "a validé le lieu ressource proposé {objet}",
    "diagnosis.place_refuse": "a refusé le lieu ressource proposé {objet}",
    "diagnosis.walk_create": "a programmé le parcours urbain {objet}",
    "diagnosis.walk_update": "a modifié le parcours urbain {objet}",
    "diagnosis.walk_cancel": "a annulé le parcours urbain {objet}",
    "diagnosis.walk_register": "a inscrit une personne au parcours urbain {objet}",
    "diagnosis.walk_attendance": "a noté les présences au parcours urbain {objet}",
    "diagnosis.group_create": "a créé le groupe du diagnostic {objet}",
    "diagnosis.group_person_add": "a ajouté une personne au groupe {objet}",
    "diagnosis.cohosts_set": "a modifié les co-animateurs du lieu {objet}",
    # Organisations, members and accounts
    "organisation.create": "a créé l'organisation {objet}",
    "organisation.update_contact": "a modifié le contact public de l'organisation {objet}",
    "programme.create": "a créé le programme {objet}",
    "programme.update": "a modifié le programme {objet}",
    "replication.copy": (
        "a créé le programme {objet} en copiant le modèle d'un programme d'une autre organisation"
    ),
    "replication.copied_out": (
        "a copié le modèle du programme {objet} vers une autre organisation"
    ),
    "membership.invite": "a invité {objet}",
    "membership.update": "a modifié le rôle de {objet}",
    "membership.invitation_resend": "a renvoyé l'invitation de {objet}",
    "membership.invitation_revoke": "a annulé l'invitation de {objet}",
    "user.invitation_accept": "a accepté son invitation",
    "user.password_change": "a changé son mot de passe",
    "user.password_reset": "a choisi un nouveau mot de passe par le lien reçu par courriel",
    "user.update_name": "a modifié son nom",
    "mfa.enrol": "a activé la double authentification",
    "mfa.disable": "a désactivé la double authentification",
    "mfa.recovery_code_use": "a utilisé un code de secours pour se connecter",
    "mfa.recovery_codes_regenerate": "a remplacé ses codes de secours",
    "mfa.reset": "a réinitialisé la double authentification de {objet}",
    "api_token.create": "a créé le jeton d'API {objet}",
    "api_token.revoke": "a révoqué le jeton d'API {objet}",
    # The log itself
    "audit_log.export": "a exporté le journal des accès",
    # Reporting: the monthly review, the observations a report quotes, annual reports
    "monthly_review.create": "a écrit la revue mensuelle {objet}",
    "monthly_review.update": "a modifié la revue mensuelle {objet}",
    "report_observation.select": "a retenu une observation pour le rapport ({objet})",
    "report_observation.unselect": "a retiré une observation du rapport ({objet})",
    "annual_report.request": "a demandé le {objet}",
    # Budgets and funding
    "attendance_rows.export": "a exporté les présences du programme {objet}",
    "budget_line.create": "a ajouté la ligne de budget {objet}",
    "budget_line.update": "a modifié la ligne de budget {objet}",
    "budget_line.delete": "a supprimé la ligne de budget {objet}",
    "funding.create": "a ajouté le financement {objet}",
    "funding.update": "a modifié le financement {objet}",
    "funding.delete": "a supprimé le financement {objet}",
    # Where families are not reached: the social hotels' list and reference figures
    "coverage.hotels_import": "a importé la liste des hôtels sociaux de {objet}",
    "coverage.reference_save": "a enregistré les {objet}",
    # Territorial diagnosis: areas, boundaries, indicators
    "diagnosis_area.create": "a créé le quartier du diagnostic {objet}",
    "diagnosis_area.update": "a modifié le quartier du diagnostic {objet}",
    "diagnosis_boundaries.import": "a importé des contours IRIS",
    "diagnosis_indicators.import": "a importé des indicateurs du diagnostic",
}

# An action written before its wording was: still a readable sentence, never an error.
UNKNOWN_ACTION = "a effectué l'action « {code} » sur {objet}"
NO_TARGET = "un élément supprimé ou sans nom"


def action_sentence(action: str, target_repr: str = "") -> str:
    """What was done, in French, after the person's name."""
    objet = target_repr or NO_TARGET
    template = ACTION_SENTENCES.get(action)
    if template is None:
        return UNKNOWN_ACTION.format(code=action, objet=objet)
    return template.replace("{objet}", objet)


def action_label(action: str) -> str:
    """The action without its object, for a filter's choices ("a ajouté une fermeture à …")."""
    template = ACTION_SENTENCES.get(action)
    if template is None:
        return f"« {action} »"
    return template.replace("{objet}", "…")
