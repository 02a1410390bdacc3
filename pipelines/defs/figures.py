"""A figure as people read it in a report, a terminal or a message: 3, 0.25, never 3.0 or 0.2500."""


def figure(value: float | int | None, missing: str = "—") -> str:
    """Whole numbers without decimals, amounts (万元) with up to four; `missing` when there is no value."""
    if value is None:
        return missing
    if float(value).is_integer():
        return str(int(value))
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
