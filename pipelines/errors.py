"""Errors a person sees: one line, Chinese and English, with the exit status of interfaces.md."""


class GongkaiError(Exception):
    """Something the user can act on. `exit_code` 2: bad usage or unreadable input; 1: data problem."""

    exit_code = 2

    def __init__(self, zh: str, en: str, exit_code: int | None = None):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        if exit_code is not None:
            self.exit_code = exit_code
