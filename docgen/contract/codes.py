"""The code lists (enums) of contract.md section 2, in the contract's order.

Rules and schemas read these names rather than retyping the codes.
"""

from __future__ import annotations

PROGRAM = ("adult", "dislocated_worker", "youth")
YOUTH_STATUS = ("in_school", "out_of_school")

ASSESSMENT_KIND = ("objective", "subjective")
ASSESSMENT_SOURCE = ("program_staff", "participant_provided", "partner_program")
ASSESSMENT_AREA = (
    "basic_skills",
    "occupational_skills",
    "prior_work_experience",
    "employability",
    "interests",
    "aptitudes",
    "supportive_service_needs",
    "developmental_needs",
)
ASSESSMENT_TOOL = (
    "tabe_11_12",
    "tabe_other",
    "casas_goals",
    "best_literacy",
    "best_plus_2_0",
    "casas_life_work_reading",
    "basic_skills_screening_tool",
    "diagnostic_test",
    "aptitude_test",
    "interest_inventory",
    "survey",
    "interview",
    "observation",
    "discussion",
    "career_exploration",
    "skills_inventory_worksheet",
    "other",
)

PLAN_KIND = ("iep", "iss")
PLAN_STATUS = ("open", "closed")
PLAN_CLOSE_REASON = ("goals_completed", "no_longer_needs_services", "dropped", "program_exit")

GOAL_KIND = ("employment", "education")
GOAL_TERM = ("short", "intermediate", "long")
GOAL_STATUS = ("open", "closed")
GOAL_OUTCOME = ("attained", "not_attained")
OBJECTIVE_STATUS = ("open", "closed")
OBJECTIVE_OUTCOME = ("successful", "unsuccessful")
JUSTIFICATION_BASIS = ("assessment", "interview", "previous_employment_skills")

BARRIER_CATEGORY = (
    "basic_skills_deficient",
    "english_language_learner",
    "skill_gap",
    "childcare",
    "transportation",
    "counseling",
    "financial",
    "personal",
    "training",
    "health",
    "other",
)
BARRIER_STATUS = ("open", "resolved")
BY_WHOM_PARTY = (
    "career_planner",
    "participant",
    "program_provider",
    "partner_agency",
    "training_provider",
    "other",
)

SERVICE_CATEGORY = (
    "basic_career",
    "individualized_career",
    "training",
    "supportive",
    "partner",
    "check_in",
    "planned_gap",
    "follow_up",
)
# contract.md service_type table: the categories each named service may have (`other`: any category).
SERVICE_TYPE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "development_of_iep": ("individualized_career",),
    "development_of_iss": ("individualized_career",),
    "comprehensive_assessment": ("individualized_career",),
    "career_planning": ("individualized_career",),
    "career_counseling": ("individualized_career",),
    "prevocational": ("individualized_career",),
    "labor_market_info": ("basic_career", "individualized_career"),
    "career_exploration": ("basic_career", "individualized_career"),
    "job_search_placement": ("basic_career", "individualized_career"),
    "financial_aid_info": ("basic_career",),
    "occupational_training": ("training",),
    "on_the_job_training": ("training",),
    "remedial_training": ("training",),
    "supportive_service": ("supportive",),
    "partner_referral": ("partner",),
    "monthly_check_in": ("check_in",),
    "planned_gap": ("planned_gap",),
    "follow_up": ("follow_up",),
    "other": SERVICE_CATEGORY,
}
SERVICE_TYPE = tuple(SERVICE_TYPE_CATEGORIES)
SUPPORTIVE_KIND = ("childcare", "transportation", "counseling", "needs_related_payments", "other")
COMPLETION_STATUS = ("successful", "unsuccessful")
PROVIDER_KIND = ("program", "partner_agency", "training_provider", "employer", "other")

YOUTH_ELEMENT = (
    "tutoring_dropout_prevention",
    "alternative_secondary_school",
    "work_experience",
    "occupational_skills_training",
    "education_with_workforce_prep",
    "leadership_development",
    "supportive_services",
    "adult_mentoring",
    "follow_up_services",
    "guidance_counseling",
    "financial_literacy",
    "entrepreneurial_skills",
    "labor_market_information",
    "postsecondary_transition",
)
YOUTH_ELEMENT_DELIVERY = ("direct", "referral")

PERFORMANCE_INDICATOR = (
    "EMP_Q2",
    "EDEMP_Q2",
    "EMP_Q4",
    "EDEMP_Q4",
    "MEDIAN_EARNINGS_Q2",
    "CREDENTIAL",
    "MSG",
    "ESE",
)

SIGNER_ROLE = ("participant", "career_planner")
SIGNATURE_METHOD = ("wet_ink", "electronic")
SIGNIFICANT_CHANGE = ("training_type", "employment_goal", "supportive_service_needs", "other")

CASE_NOTE_TYPE = (
    "introduction",
    "assessment",
    "plan_development",
    "service",
    "contact",
    "training_need",
    "training_begin",
    "training_end",
    "barrier",
    "coordination",
    "iep_iss_review",
    "iep_iss_review_update",
    "participant_copy_provided",
    "exit",
    "follow_up",
    "general",
)
# contract.md section 6 "details by type": the `details` fields each case-note type may carry.
CASE_NOTE_DETAILS: dict[str, tuple[str, ...]] = {
    "introduction": ("status_at_participation", "need_for_services"),
    "assessment": ("assessment_id",),
    "plan_development": ("plan_version", "developed_jointly"),
    "service": ("actual_service_on",),
    "contact": (),
    "training_need": ("training_program", "suitability", "topics_discussed"),
    "training_begin": (
        "training_begin_on",
        "training_program",
        "training_provider",
        "approximate_cost",
        "planned_end_on",
    ),
    "training_end": (
        "training_end_on",
        "training_program",
        "completed",
        "credential_status",
        "credential_name",
        "credential_learned_on",
        "last_attended_on",
    ),
    "barrier": ("barrier_category", "how_addressed", "by_whom"),
    "coordination": ("partner_program", "partner_contact"),
    "iep_iss_review": ("plan_version", "on_track", "changes_made"),
    "iep_iss_review_update": ("plan_version", "changes_made", "agreed_with_participant", "change_summary"),
    "participant_copy_provided": ("plan_version", "provided_on", "method"),
    "exit": (
        "exit_on",
        "employment_status",
        "employer_name",
        "hire_date",
        "hours_per_week",
        "wage",
        "wage_unit",
        "exclusion_reason",
    ),
    "follow_up": ("services_provided", "information_provided"),
    "general": (),
}
CONTACT_MODE = ("in_person", "phone", "video", "email", "text", "mail", "other")
TRAINING_TOPIC = (
    "local_labor_market_conditions",
    "local_employer_skill_demands",
    "hiring_prerequisites",
    "in_demand_occupations",
)
CREDENTIAL_STATUS = ("attained", "not_attained", "pending", "not_applicable")
EMPLOYMENT_STATUS = ("employed", "not_employed")
WAGE_UNIT = ("hour", "week", "month", "year")
COPY_METHOD = ("in_person", "mail", "email", "electronic_portal")
EXIT_KIND = ("exit", "soft_exit")
EXIT_REASON = ("goals_attained", "no_longer_needs_services", "dropped", "unable_to_contact", "other")
ROI_RECIPIENT_TYPE = ("employer", "service_provider", "partner_agency", "other")

MOU_PARTY_TYPE = ("applicant", "lwia", "other_qualified_organization")
MOU_ROLE = (
    "recruitment",
    "eligibility_determination",
    "enrollment",
    "performance_requirements",
    "strategies",
    "reporting",
)
CERTIFICATION_SYSTEM = ("iwds", "iwts")
FOLLOW_UP_APPROACH = ("provide", "coordinate", "provide_and_coordinate")
