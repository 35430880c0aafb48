"""Error details read as upstream's (webob's plain-text rendering)."""
from placement import errors


def test_multi_line_details_become_one_line():
    detail = errors.full_detail(
        400, "JSON does not validate: 1 is not of type 'string'\n\n"
             "Failed validating 'type' in schema:\n    {'type': 'string'}")
    assert detail == (
        'The server could not comply with the request since it is either '
        "malformed or otherwise incorrect.\n\n JSON does not validate: 1 is "
        "not of type 'string'  Failed validating 'type' in schema:     "
        "{'type': 'string'}  ")


def test_tags_vanish_and_br_breaks_the_line():
    assert errors.as_plain_text(
        "got <class 'int'><br/>then <!-- a comment -->\r\n") == \
        'got \nthen  a comment  '


def test_an_empty_detail_leaves_the_frame():
    assert errors.full_detail(404, '') == \
        'The resource could not be found.\n\n   '


def test_explanations_that_name_the_request():
    environ = {'REQUEST_METHOD': 'PATCH', 'CONTENT_TYPE': 'text/plain',
               'HTTP_ACCEPT': '*/*'}
    assert errors.full_detail(405, 'No.', environ) == \
        'The method PATCH is not allowed for this resource. \n\n No.'
    assert errors.full_detail(406, 'No.', environ) == (
        'The resource could not be generated that was acceptable to your '
        'browser (content of type application/json. \n\n No.')
    assert errors.full_detail(415, '', environ) == (
        'The request media type text/plain is not supported by this '
        'server. \n\n ')


def test_plain_and_html_bodies():
    assert errors.plain_body(404, 'gone') == \
        '404 Not Found\n\nThe resource could not be found.\n\n gone  '
    page = errors.html_body(400, "<b>'bad'</b> é")
    assert '<title>400 Bad Request</title>' in page
    assert '&lt;b&gt;&#x27;bad&#x27;&lt;/b&gt; &#233;' in page
