"""Human labels for the contract's code lists (shared/domain/contract.md §2), as printed on the forms."""

from __future__ import annotations

from collections.abc import Mapping

from docgen.policy.rules import mou

PROGRAM = {"adult": "Adult", "dislocated_worker": "Dislocated Worker", "youth": "Youth"}
YOUTH_STATUS = {"in_school": "In-school youth", "out_of_school": "Out-of-school youth"}
PLAN_KIND = {"iep": "Individual Employment Plan (IEP)", "iss": "Individual Service Strategy (ISS)"}
PLAN_STATUS = {"open": "Open", "closed": "Closed"}
PLAN_CLOSE_REASON = {
    "goals_completed": "Goals completed",
    "no_longer_needs_services": "No longer needs services",
    "dropped": "Dropped",
    "program_exit": "Program exit",
}
GOAL_KIND = {"employment": "Employment", "education": "Education"}
GOAL_TERM = {"short": "Short-term", "intermediate": "Intermediate", "long": "Long-term"}
GOAL_STATUS = {"open": "Open", "closed": "Closed"}
GOAL_OUTCOME = {"attained": "Attained", "not_attained": "Not attained"}
OBJECTIVE_STATUS = {"open": "Open", "closed": "Closed"}
OBJECTIVE_OUTCOME = {"successful": "Successful", "unsuccessful": "Unsuccessful"}
JUSTIFICATION_BASIS = {
    "assessment": "Assessment",
    "interview": "Interview with the participant",
    "previous_employment_skills": "Skills from previous employment",
}
BARRIER_CATEGORY = {
    "basic_skills_deficient": "Basic skills deficient",
    "english_language_learner": "English language learner",
    "skill_gap": "Skill gap",
    "childcare": "Childcare",
    "transportation": "Transportation",
    "counseling": "Counseling",
    "financial": "Financial",
    "personal": "Personal",
    "training": "Training",
    "health": "Health",
    "other": "Other",
}
BARRIER_STATUS = {"open": "Open", "resolved": "Resolved"}
BY_WHOM_PARTY = {
    "career_planner": "Career planner",
    "participant": "Participant",
    "program_provider": "Program provider",
    "partner_agency": "Partner agency",
    "training_provider": "Training provider",
    "other": "Other",
}
SERVICE_CATEGORY = {
    "basic_career": "Basic career service",
    "individualized_career": "Individualized career service",
    "training": "Training",
    "supportive": "Supportive service",
    "partner": "Partner service",
    "check_in": "Check-in",
    "planned_gap": "Planned gap",
    "follow_up": "Follow-up",
}
SERVICE_TYPE = {
    "development_of_iep": "Development of IEP",
    "development_of_iss": "Development of ISS",
    "comprehensive_assessment": "Comprehensive and specialized assessment",
    "career_planning": "Career planning",
    "career_counseling": "Career counseling",
    "prevocational": "Prevocational services",
    "labor_market_info": "Labor market information",
    "career_exploration": "Career exploration",
    "job_search_placement": "Job search and placement assistance",
    "financial_aid_info": "Financial aid information",
    "occupational_training": "Occupational training",
    "on_the_job_training": "On-the-job training",
    "remedial_training": "Remedial training",
    "supportive_service": "Supportive service",
    "partner_referral": "Partner referral",
    "monthly_check_in": "Monthly check-in",
    "planned_gap": "Planned gap",
    "follow_up": "Follow-up",
    "other": "Other",
}
SUPPORTIVE_KIND = {
    "childcare": "Childcare",
    "transportation": "Transportation",
    "counseling": "Counseling",
    "needs_related_payments": "Needs-related payments",
    "other": "Other",
}
COMPLETION_STATUS = {"successful": "Successful", "unsuccessful": "Unsuccessful"}
PROVIDER_KIND = {
    "program": "Program",
    "partner_agency": "Partner agency",
    "training_provider": "Training provider",
    "employer": "Employer",
    "other": "Other",
}
# The 14 program elements of 20 CFR 681.460(a), in the regulation's order.
YOUTH_ELEMENT = {
    "tutoring_dropout_prevention": (
        "Tutoring, study skills training, instruction and evidence-based dropout prevention and recovery"
    ),
    "alternative_secondary_school": "Alternative secondary school services or dropout recovery services",
    "work_experience": "Paid and unpaid work experiences with academic and occupational education",
    "occupational_skills_training": "Occupational skills training",
    "education_with_workforce_prep": (
        "Education offered concurrently with workforce preparation and training for a specific occupation"
    ),
    "leadership_development": "Leadership development opportunities",
    "supportive_services": "Supportive services",
    "adult_mentoring": "Adult mentoring (at least 12 months)",
    "follow_up_services": "Follow-up services (at least 12 months after completion)",
    "guidance_counseling": "Comprehensive guidance and counseling",
    "financial_literacy": "Financial literacy education",
    "entrepreneurial_skills": "Entrepreneurial skills training",
    "labor_market_information": "Labor market and employment information on in-demand sectors and occupations",
    "postsecondary_transition": "Preparation for and transition to postsecondary education and training",
}
YOUTH_ELEMENT_DELIVERY = {"direct": "Provided at agency", "referral": "Referral to a partner organization"}
PERFORMANCE_INDICATOR = {
    "EMP_Q2": "Employment rate, 2nd quarter after exit",
    "EDEMP_Q2": "Education, training or employment, 2nd quarter after exit",
    "EMP_Q4": "Employment rate, 4th quarter after exit",
    "EDEMP_Q4": "Education, training or employment, 4th quarter after exit",
    "MEDIAN_EARNINGS_Q2": "Median earnings, 2nd quarter after exit",
    "CREDENTIAL": "Credential attainment",
    "MSG": "Measurable skill gains",
    "ESE": "Effectiveness in serving employers",
}
SIGNER_ROLE = {"participant": "Participant", "career_planner": "Career planner"}
SIGNIFICANT_CHANGE = {
    "training_type": "Training type",
    "employment_goal": "Employment goal",
    "supportive_service_needs": "Supportive service needs",
    "other": "Other",
}
CASE_NOTE_TYPE = {
    "introduction": "Introduction",
    "assessment": "Assessment",
    "plan_development": "Development of IEP/ISS",
    "service": "Service",
    "contact": "Contact",
    "training_need": "Determination of training need",
    "training_begin": "Training begin",
    "training_end": "Training end",
    "barrier": "Barrier",
    "coordination": "Cross-program coordination",
    "iep_iss_review": "IEP/ISS review",
    "iep_iss_review_update": "IEP/ISS review/update",
    "participant_copy_provided": "Copy of plan provided to participant",
    "exit": "Service closure/exit",
    "follow_up": "Follow-up",
    "general": "General update",
}
CONTACT_MODE = {
    "in_person": "In person",
    "phone": "Phone",
    "video": "Video",
    "email": "Email",
    "text": "Text message",
    "mail": "Mail",
    "other": "Other",
}
TRAINING_TOPIC = {
    "local_labor_market_conditions": "Local labor market conditions",
    "local_employer_skill_demands": "Local employer skill demands",
    "hiring_prerequisites": "Hiring prerequisites",
    "in_demand_occupations": "In-demand occupations",
}
CREDENTIAL_STATUS = {
    "attained": "Attained",
    "not_attained": "Not attained",
    "pending": "Pending",
    "not_applicable": "Not applicable",
}
EMPLOYMENT_STATUS = {"employed": "Employed", "not_employed": "Not employed"}
WAGE_UNIT = {"hour": "per hour", "week": "per week", "month": "per month", "year": "per year"}
COPY_METHOD = {
    "in_person": "In person",
    "mail": "Mail",
    "email": "Email",
    "electronic_portal": "Electronic portal",
}
MOU_PARTY_TYPE = {
    "applicant": "Applicant",
    "lwia": "Local Workforce Innovation Area (LWIA)",
    "other_qualified_organization": "Other qualified organization",
}
MOU_ROLE = {
    "recruitment": "Recruitment",
    "eligibility_determination": "Eligibility determination",
    "enrollment": "Enrollment",
    "performance_requirements": "Performance requirements",
    "strategies": "Strategies",
    "reporting": "Reporting",
}
MOU_REQUIRED_ROLES = tuple(role for role, _ in mou.REQUIRED_ROLES)
CERTIFICATION_SYSTEM = {
    "iwds": "Illinois Workforce Development System (IWDS)",
    "iwts": "Incumbent Worker Tracking System (IWTS)",
}
FOLLOW_UP_APPROACH = {
    "provide": "Provide follow-up services",
    "coordinate": "Coordinate follow-up services",
    "provide_and_coordinate": "Provide and coordinate follow-up services",
}
# BCP 47 primary subtags the programs meet most; anything else is shown as its code.
LANGUAGE = {
    "en": "English",
    "es": "Spanish",
    "vi": "Vietnamese",
    "zh": "Chinese",
    "ar": "Arabic",
    "fr": "French",
    "ht": "Haitian Creole",
    "ko": "Korean",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "so": "Somali",
    "tl": "Tagalog",
    "uk": "Ukrainian",
}


def label(table: Mapping[str, str], code: str) -> str:
    """The label of a code; a code outside the list (a newer contract) is shown readably, never dropped."""
    found = table.get(code)
    if found is not None:
        return found
    return code.replace("_", " ").capitalize()
