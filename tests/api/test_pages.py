"""A page number no database can take is refused as invalid input, never a server error; a page past the
end is an empty page, as before."""

import pytest

HUGE = str(2**64)


@pytest.mark.parametrize(
    "path",
    ["/api/documents/", "/api/assignments/", "/api/bodies/", "/api/documents/{directive}/tasks"],
)
def test_a_page_number_beyond_any_database_is_invalid_input(published, api_for, path):
    client = api_for("monitor")
    url = path.format(directive=published.pk)
    response = client.get(url, {"page": HUGE})
    assert response.status_code == 422 and response.json()["detail"]
    assert client.get(url, {"page": "1000"}).json()["items"] == []


def test_a_larger_page_size_is_cut_to_the_maximum(published, api_for):
    response = api_for("monitor").get("/api/assignments/", {"page_size": "100000"})
    assert response.status_code == 200 and len(response.json()["items"]) == 200
