"""A password set for a user is refused when it is the user's name, all digits or a common one."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from dondoc.accounts.models import User


@pytest.mark.parametrize("password", ["nguyenvanan", "0912345678901", "password123", "abc12"])
def test_weak_passwords_are_refused(db, password):
    user = User(username="nguyenvanan", first_name="An", last_name="Nguyễn Văn")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_unusual_password_is_accepted(db):
    validate_password("sông Sêrêpốk chảy qua Buôn Đôn", user=User(username="nguyenvanan"))
