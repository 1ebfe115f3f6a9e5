"""Distinct, realistic wire stories written from one template, for load and race tests.

Hand-written text in the shape agencies file it (headline, `AGENCY / Place,
Country / Byline`, paragraphs); people, places, agencies and numbers vary so
no two stories share a content hash, while a few people recur across many
stories to make concurrent writers race to create the same person.
"""

from __future__ import annotations

PLACES = (
    ("Kabul", "Afghanistan"), ("Islamabad", "Pakistan"), ("Doha", "Qatar"),
    ("Ankara", "Turkey"), ("Cairo", "Egypt"), ("Nairobi", "Kenya"),
    ("Berlin", "Germany"), ("Madrid", "Spain"), ("Lima", "Peru"),
    ("Jakarta", "Indonesia"), ("Tunis", "Tunisia"), ("Baghdad", "Iraq"),
    ("Amman", "Jordan"), ("Rabat", "Morocco"), ("Dakar", "Senegal"),
    ("Hanoi", "Vietnam"), ("Bogota", "Colombia"), ("Warsaw", "Poland"),
    ("Athens", "Greece"), ("Lisbon", "Portugal"),
)  # fmt: skip
AGENCIES = ("AA", "AFP", "Reuters", "AP", "EFE")
RECURRING = ("Amrullah Saleh", "Fatima Okonkwo", "Lars Henriksen", "Mariana Quispe")
FIRST = (
    "Ahmad", "Leila", "Tomasz", "Ingrid", "Kwame", "Sofia", "Rashid", "Elena",
    "Jorge", "Aiko", "Omar", "Nadia", "Pieter", "Chiara", "Yusuf", "Marta",
    "Dmitri", "Amina", "Felipe", "Hana", "Kenji", "Zeynep", "Mateo", "Priya", "Samir",
)  # fmt: skip
LAST = (
    "Karimi", "Haddad", "Nowak", "Lindqvist", "Mensah", "Rossi", "Qureshi",
    "Petrova", "Alvarez", "Tanaka", "Farouk", "Benali", "Visser", "Conti",
    "Demir", "Kowalska", "Ivanov", "Diallo", "Moreno", "Sato",
)  # fmt: skip
TOPICS = (
    ("water rights", "a shared reservoir upstream of the city"),
    ("grain exports", "the reopening of two port terminals"),
    ("a border crossing", "the return of displaced families"),
    ("power cuts", "repairs to a damaged transmission line"),
    ("teacher pay", "a strike that has closed hundreds of schools"),
)  # fmt: skip


def wire_story(number: int) -> str:
    """Story `number` (0-based): always the same text for the same number."""
    city, country = PLACES[number % len(PLACES)]
    agency = AGENCIES[number % len(AGENCIES)]
    official = f"{FIRST[number % len(FIRST)]} {LAST[(number // len(FIRST)) % len(LAST)]}"
    recurring = RECURRING[number % len(RECURRING)]
    topic, detail = TOPICS[number % len(TOPICS)]
    reporter = f"{FIRST[(number + 7) % len(FIRST)]} {LAST[(number + 3) % len(LAST)]}"
    delegates = 12 + number
    return (
        f"{city} talks on {topic} end without agreement, round {number + 1}\n\n"
        f"{agency} / {city}, {country} / {reporter}\n\n"
        f"Negotiators meeting in {city} on Tuesday failed to agree on {topic} after "
        f"{delegates} delegates spent a third day discussing {detail}.\n\n"
        f"The talks were chaired by {official}, who told reporters that officials "
        f"from both sides would meet again within a fortnight.\n\n"
        f"{recurring} said in a statement that the delay was regrettable but that "
        f"progress had been made on {detail}.\n\n"
        f"Officials in {country} have said that any deal must be approved by parliament "
        f"before it takes effect, and {official} said a draft could be ready by next month.\n"
    )
