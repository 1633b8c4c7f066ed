"""`manage.py send_notifications`: what it sent, and exit code 1 when the mail server fails."""

import io

import pytest
from django.core.management import CommandError, call_command

from .conftest import overdue, states


def test_it_prints_what_it_sent(smtp_server, olga, pat):
    overdue(olga, "overdue:1")
    overdue(olga, "overdue:2")
    overdue(pat)
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue() == ("Sent 2 notifications to olga@example.org\n"
                              "Sent 1 notification to pat@example.org\n"
                              "2 message(s) sent; 0 notification(s) kept in the app only (no address, or no e-mail "
                              "of that kind).\n")
    assert len(smtp_server.messages) == 2


def test_it_fails_with_the_error_when_the_server_is_down(smtp_server, olga):
    overdue(olga)
    smtp_server.stop()
    with pytest.raises(CommandError, match=r"^The mail server could not be reached or was lost \(Connection"):
        call_command("send_notifications", stdout=io.StringIO())
    assert states(olga) == {"overdue:1": "pending"}


def test_from_the_shell_it_exits_with_1_on_an_smtp_failure(smtp_server, olga):
    from django.core.management import ManagementUtility

    overdue(olga)
    smtp_server.stop()
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "send_notifications"]).execute()
    assert exit_.value.code == 1
