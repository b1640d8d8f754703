"""Names people read for flow steps and audit events (the timeline, the inbox)."""

from __future__ import annotations

from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflow.flows.registry import all_flows
from workflow.steps import action_label, step_for

EVENT_LABELS: dict[str, Promise] = {
    "created": _("Lập hồ sơ (bản nháp)"),
    "updated": _("Sửa hồ sơ"),
    "submitted": _("Trình hồ sơ"),
    "resubmitted": _("Trình lại hồ sơ sau khi bổ sung"),
    "approved": _("Hồ sơ được phê duyệt"),
    "withdrawn": _("Rút hồ sơ"),
    "cancelled": _("Hủy chuyến đi"),
    "departed": _("Xác nhận xuất cảnh"),
    "returned_home": _("Xác nhận về nước"),
    "passport_returned": _("Nộp lại hộ chiếu"),
    "extension_requested": _("Đề nghị gia hạn"),
    "extended": _("Được gia hạn ngày về"),
    "attachment_added": _("Đính kèm tài liệu"),
    "member_confirmed": _("Thành viên xác nhận tham gia đoàn"),
    "member_declined": _("Thành viên từ chối tham gia đoàn"),
}

#: Events written by other parts of the product (tasks, agency notifications), by full name.
TASK_EVENT_LABELS: dict[str, Promise] = {
    "task.claimed": _("Nhận xử lý hồ sơ"),
    "task.released": _("Trả công việc về hàng chờ"),
    "task.escalated": _("Nhắc việc quá hạn"),
    "notification.sent": _("Đã gửi thông báo cho cơ quan chức năng"),
    "notification.acknowledged": _("Cơ quan chức năng xác nhận đã nhận thông báo"),
    "notification.escalated": _("Báo thông báo cơ quan chức năng quá hạn xác nhận"),
}


@cache
def _node_titles() -> dict[str, str]:
    titles: dict[str, str] = {}
    for flow_class in all_flows():
        for node in flow_class.instance.nodes():
            title = getattr(node, "task_title", "")
            if title and node.name not in titles:
                titles[node.name] = title
    return titles


def step_title(name: str) -> str:
    """The Vietnamese (or active language) title of a flow node, by its stored name."""
    title = _node_titles().get(name)
    return str(title) if title else name


def event_label(action: str) -> str:
    """``outbound.review_by_unit_head.approve`` → "Thủ trưởng đơn vị cho ý kiến: Đồng ý"."""
    if action in TASK_EVENT_LABELS:
        return str(TASK_EVENT_LABELS[action])
    parts = action.split(".")
    if len(parts) == 2 and parts[1] in EVENT_LABELS:
        return str(EVENT_LABELS[parts[1]])
    if len(parts) == 3:
        step = step_for(parts[1])
        verb = action_label(step, parts[2]) if step is not None else parts[2]
        return f"{step_title(parts[1])}: {verb}"
    return action
