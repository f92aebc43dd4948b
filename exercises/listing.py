"""What lists of exercises need without the pydantic models: the CKA domains, their titles, and `pick`.

The home screen shows these before the exercise models are imported (exercises.model re-exports them).
"""

from __future__ import annotations

DOMAINS: tuple[str, ...] = (
    "cluster-architecture",
    "workloads-scheduling",
    "services-networking",
    "storage",
    "troubleshooting",
)
DOMAIN_TITLES = {
    "cluster-architecture": {"en": "Cluster Architecture, Installation & Configuration", "ko": "클러스터 아키텍처, 설치 및 구성"},
    "workloads-scheduling": {"en": "Workloads & Scheduling", "ko": "워크로드와 스케줄링"},
    "services-networking": {"en": "Services & Networking", "ko": "서비스와 네트워킹"},
    "storage": {"en": "Storage", "ko": "스토리지"},
    "troubleshooting": {"en": "Troubleshooting", "ko": "트러블슈팅"},
}


def pick(text: dict[str, str] | None, lang: str) -> str:
    """The text in `lang`, falling back to English."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")
