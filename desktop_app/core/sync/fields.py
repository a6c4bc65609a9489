"""What a sync package carries, and what stays in the township: the one place that says so, with the reason.

Every synced table travels (the county answers for the funds it hosts: it reports, discloses and is audited),
but private facts stay home unless a rule says they must leave (个人信息保护法第六条: minimum necessary).
A field that stays home travels empty; a name travels masked; typed phone and ID numbers in the free texts
listed here travel as ***. Fields the fund chain hashes (a posted entry's 摘要, 对方名称 …) travel as posted:
the county re-verifies every chain on arrival, which a changed field would break — the notices mask them
where they are printed."""

import json

from desktop_app.core.privacy import mask_name, redact_private_numbers

# table → field → why it stays home (it travels as "")
STAYS_HOME: dict[str, dict[str, str]] = {
    "ledger_entry": {
        "counterparty_contact": "捐赠人的私人联系方式：县里记账、公示和审计都用不到",
    },
    "named_beneficiary": {
        "phone": "受益人的电话：联系受益人是乡镇的事",
        "sensitive_facts": "受益人的敏感信息（低保、残疾、疾病等）：县里只需要按群体的人数",
    },
}

# table → field → why it travels masked (张*明)
MASKED_NAMES: dict[str, dict[str, str]] = {
    "named_beneficiary": {"name": "县里核对受益人数时要知道有这个人，不需要知道是谁"},
}

# table → free-text fields whose typed phone and ID numbers travel as ***
REDACTED_TEXTS: dict[str, tuple[str, ...]] = {
    "activity": ("title", "summary", "place", "organisers", "partners"),
    "project": ("goals",),
    "entry_batch": ("title",),
    "attachment": ("original_name",),  # a scan saved as 李秀英电话13908181234.jpg: the file travels by its hash
    "photo": ("caption", "original_name"),
    "goods_movement": ("item", "note", "donor_name"),
    "charity_space": ("note",),
    "space_milestone": ("note",),
    "space_have": ("note",),
}


def travelling_payload(table: str, payload: dict, private_questions: dict[str, set[str]]) -> dict:
    """`payload` (a record in the journal's form) as a package carries it. `private_questions`: the codes of
    each questionnaire version's private questions (names, phones, addresses), whose answers stay home."""
    out = dict(payload)
    for name in STAYS_HOME.get(table, {}):
        if out.get(name):
            out[name] = ""
    for name in MASKED_NAMES.get(table, {}):
        if out.get(name):
            out[name] = mask_name(out[name])
    for name in REDACTED_TEXTS.get(table, ()):
        if out.get(name):
            out[name] = redact_private_numbers(out[name])
    if table == "survey_response" and out.get("answers"):
        out["answers"] = _public_answers(out["answers"], private_questions.get(out.get("version_id") or "", set()))
    return out


def _public_answers(text: str, private: set[str]) -> str:
    """A response's answers without its private questions, typed texts with their numbers as ***."""
    try:
        answers = json.loads(text)
    except ValueError:
        return "{}"
    if not isinstance(answers, dict):
        return "{}"
    kept = {}
    for code, answer in answers.items():
        if code in private:
            continue
        if isinstance(answer, dict) and isinstance(answer.get("t"), str):
            answer = answer | {"t": redact_private_numbers(answer["t"])}
        kept[code] = answer
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def private_question_codes(definition: str) -> set[str]:
    """The codes of a questionnaire version's private questions (its JSON definition)."""
    try:
        data = json.loads(definition)
    except ValueError:
        return set()
    questions = data.get("questions", []) if isinstance(data, dict) else []
    return {str(q.get("code")) for q in questions if isinstance(q, dict) and q.get("private")}
