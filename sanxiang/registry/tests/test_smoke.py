def test_the_portal_home_page_answers(anonymous, agency_a):
    response = anonymous.get("/")
    assert response.status_code == 200
    assert "行政执法公示平台" in response.content.decode()
