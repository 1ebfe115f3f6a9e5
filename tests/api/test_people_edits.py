"""Editors correct the people index: rename, merge and split, and search follows."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_articles import assert_problem

TRIPOLI = (
    "Libya marks revolution anniversary\n\n"
    "TRIPOLI (AP) — Libyan leader Muammar Gaddafi addressed crowds in Tripoli on Tuesday, "
    "state television reported, as the country marked the anniversary of the revolution.\n\n"
    "Gaddafi spoke for two hours."
)
CAIRO = (
    "Arab League meets in Cairo\n\n"
    "CAIRO (Reuters) - Arab League foreign ministers met on Wednesday, and Muammar Qaddafi, "
    "Libya's leader, sent a message to the meeting calling for unity.\n\n"
    "Qaddafi did not attend."
)
BOTH = {"Libya marks revolution anniversary", "Arab League meets in Cairo"}


def person_named(client: TestClient, text: str) -> dict[str, object]:
    items = client.get("/api/people", params={"q": text}).json()["items"]
    assert len(items) == 1, items
    person: dict[str, object] = items[0]
    return person


def titles(client: TestClient, query: str) -> set[str]:
    hits = client.get("/api/search", params={"q": query}).json()["hits"]
    return {hit["title"] for hit in hits}


def test_merge_folds_a_spelling_the_archive_kept_apart(client: TestClient) -> None:
    client.post("/api/articles", json={"text": TRIPOLI})
    client.post("/api/articles", json={"text": CAIRO})
    # "Moudjahid" is too far from "Mujahid" for the automatic, conservative matcher.
    first, second = person_named(client, "Gaddafi"), person_named(client, "Qaddafi")
    assert first["id"] != second["id"]
    merged = client.post(f"/api/people/{first['id']}/merge", json={"people": [second["id"]]})
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["article_count"] == 2
    assert "Muammar Qaddafi" in body["aliases"]
    assert client.get(f"/api/people/{second['id']}").status_code == 404
    assert titles(client, 'person:"Muammar Gaddafi"') == BOTH


def test_rename_and_split_reach_search(client: TestClient) -> None:
    client.post("/api/articles", json={"text": TRIPOLI})
    client.post("/api/articles", json={"text": CAIRO})
    first, second = person_named(client, "Gaddafi"), person_named(client, "Qaddafi")
    client.post(f"/api/people/{first['id']}/merge", json={"people": [second["id"]]})

    renamed = client.patch(f"/api/people/{first['id']}", json={"name": "Muammar al-Gaddafi"})
    assert renamed.json()["name"] == "Muammar al-Gaddafi"
    facets = client.get("/api/search", params={"q": "gaddafi"}).json()["facets"]["person"]
    assert {"value": "Muammar al-Gaddafi", "count": 2} in facets

    split = client.post(f"/api/people/{first['id']}/split", json={"aliases": ["Muammar Qaddafi"]})
    assert split.status_code == 201, split.text
    assert split.json()["name"] == "Muammar Qaddafi"
    assert split.json()["article_count"] == 1
    assert titles(client, 'person:"Muammar Qaddafi"') == {"Arab League meets in Cairo"}
    assert titles(client, 'person:"Muammar Gaddafi"') == {"Libya marks revolution anniversary"}


def test_impossible_edits_are_problems(client: TestClient) -> None:
    client.post("/api/articles", json={"text": TRIPOLI})
    person = person_named(client, "Gaddafi")
    pid = person["id"]
    assert_problem(client.post(f"/api/people/{pid}/merge", json={"people": [pid]}), 422)
    assert_problem(client.post(f"/api/people/{pid}/merge", json={"people": [999]}), 404)
    assert_problem(client.post(f"/api/people/{pid}/split", json={"aliases": ["Nobody"]}), 422)
    everyone = [person["name"], *person["aliases"]]  # type: ignore[misc]
    assert_problem(client.post(f"/api/people/{pid}/split", json={"aliases": everyone}), 422)
    assert_problem(client.patch(f"/api/people/{pid}", json={"name": ""}), 422)
    assert_problem(client.patch("/api/people/999", json={"name": "X Y"}), 404)
