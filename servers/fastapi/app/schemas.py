from pydantic import BaseModel, ConfigDict


class UserOut(BaseModel):
    # Field order is the JSON key order: user_id, username, email.
    model_config = ConfigDict(from_attributes=True)

    user_id: str
    username: str
    email: str
