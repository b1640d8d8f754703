"""The record: the audit log and its chain head, decisions, rule stamps, justifications,
agency notifications and their recipients, notices, the outbox, documents, their registers,
numbering and signatures (issue #10: approvals 0001-0012 squashed into one).

A fresh database gets every table in one step, its columns in the order the old migrations left
them. A database that applied all twelve takes this migration as applied (``replaces``); one that
stopped earlier must be brought to ``0012_rule_stamp_reuse`` by the release before the squash
first (docs/production.md, *Upgrades*).

Kept, right after the audit log's table: on PostgreSQL, the triggers that refuse UPDATE and
DELETE (``0002_audit_append_only``) and TRUNCATE (``0008_audit_truncate_trigger``) on the log,
and the revoke of every write right on it but INSERT from any role other than its owner. Their
SQL is copied here unchanged; it lives in this file so that no later change of the application's
code changes what this migration does (docs/record.md).

Dropped, because they change nothing on an empty database: the data steps of
``0006_document_render_state`` (``set_render_states``: documents whose files existed became
ready, the others pending) and of ``0011_dispatch_signatures`` (``sent_was_delivered``: an agency
notification "sent" before it became "delivered").
"""

import approvals.models.documents
import approvals.models.outbox
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION approvals_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'approvals_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS approvals_auditevent_no_change ON approvals_auditevent;
CREATE TRIGGER approvals_auditevent_no_change
    BEFORE UPDATE OR DELETE ON approvals_auditevent
    FOR EACH ROW EXECUTE FUNCTION approvals_auditevent_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS approvals_auditevent_no_change ON approvals_auditevent;
DROP FUNCTION IF EXISTS approvals_auditevent_append_only();
"""

# A row trigger does not fire on TRUNCATE; a statement trigger does. Taking the rights away here
# makes the first ``migrate`` safe even when default privileges granted the application role
# everything on the table when it was created (docs/production.md).
NO_TRUNCATE = """
-- A superuser may empty the table (Django's flush between transactional tests, a test
-- database): a superuser can switch any trigger off anyway. Everyone else is refused.
CREATE OR REPLACE FUNCTION approvals_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'approvals_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS approvals_auditevent_no_truncate ON approvals_auditevent;
CREATE TRIGGER approvals_auditevent_no_truncate
    BEFORE TRUNCATE ON approvals_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION approvals_auditevent_no_truncate();
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON approvals_auditevent FROM PUBLIC;
DO $$
DECLARE grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT grantee FROM information_schema.table_privileges
        WHERE table_schema = current_schema() AND table_name = 'approvals_auditevent'
          AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
          AND grantee NOT IN ('PUBLIC', current_user)
          AND grantee <> (SELECT tableowner FROM pg_tables
                          WHERE schemaname = current_schema()
                            AND tablename = 'approvals_auditevent')
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON approvals_auditevent FROM %I',
            grantee_name
        );
    END LOOP;
END
$$;
"""

DROP_NO_TRUNCATE = """
DROP TRIGGER IF EXISTS approvals_auditevent_no_truncate ON approvals_auditevent;
DROP FUNCTION IF EXISTS approvals_auditevent_no_truncate();
"""


def _on_postgresql(schema_editor: BaseDatabaseSchemaEditor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql, params=None)


def refuse_update_and_delete(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _on_postgresql(schema_editor, APPEND_ONLY)


def allow_update_and_delete(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _on_postgresql(schema_editor, DROP_APPEND_ONLY)


def refuse_truncate(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _on_postgresql(schema_editor, NO_TRUNCATE)


def allow_truncate(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _on_postgresql(schema_editor, DROP_NO_TRUNCATE)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('approvals', '0001_initial'),
        ('approvals', '0002_audit_append_only'),
        ('approvals', '0003_rulestamp_agencynotification_decision_justification'),
        ('approvals', '0004_outbox_notices'),
        ('approvals', '0005_documents_registers'),
        ('approvals', '0006_document_render_state'),
        ('approvals', '0007_audit_key'),
        ('approvals', '0008_audit_truncate_trigger'),
        ('approvals', '0009_chain_fingerprint'),
        ('approvals', '0010_documents_changes_and_numbering'),
        ('approvals', '0011_dispatch_signatures'),
        ('approvals', '0012_rule_stamp_reuse'),
    ]

    dependencies = [
        ('org', '0001_squashed_0004_jurisdiction_legal_basis'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(default=0)),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
            ],
            options={
                'verbose_name': 'đầu chuỗi nhật ký',
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(unique=True, verbose_name='số thứ tự')),
                ('occurred_at', models.DateTimeField(db_index=True, verbose_name='thời điểm (UTC)')),
                ('actor_username', models.CharField(blank=True, max_length=150, verbose_name='tài khoản')),
                ('acting_for', models.CharField(blank=True, max_length=150, verbose_name='thay mặt')),
                ('action', models.CharField(db_index=True, max_length=64, verbose_name='hành động')),
                ('object_type', models.CharField(max_length=64, verbose_name='loại đối tượng')),
                ('object_id', models.CharField(max_length=64, verbose_name='mã đối tượng')),
                ('object_repr', models.CharField(blank=True, max_length=255, verbose_name='đối tượng')),
                ('before', models.JSONField(blank=True, null=True, verbose_name='trước')),
                ('after', models.JSONField(blank=True, null=True, verbose_name='sau')),
                ('comment', models.TextField(blank=True, verbose_name='ghi chú')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='địa chỉ IP')),
                ('request_id', models.CharField(blank=True, max_length=64, verbose_name='mã yêu cầu')),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64, unique=True)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                ('key_id', models.CharField(blank=True, default='', max_length=16, verbose_name='mã khóa')),
            ],
            options={
                'verbose_name': 'sự kiện nhật ký',
                'verbose_name_plural': 'nhật ký hệ thống',
                'ordering': ['seq'],
                'indexes': [models.Index(fields=['object_type', 'object_id', 'seq'], name='approvals_a_object__625cf2_idx')],
            },
        ),
        # On PostgreSQL the log is append-only: no UPDATE or DELETE (was 0002), no TRUNCATE and
        # no write right but INSERT for any role other than the owner (was 0008).
        migrations.RunPython(refuse_update_and_delete, allow_update_and_delete),
        migrations.RunPython(refuse_truncate, allow_truncate),
        migrations.CreateModel(
            name='RuleStamp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_kind', models.CharField(max_length=16, verbose_name='loại hồ sơ')),
                ('request_id', models.BigIntegerField(verbose_name='mã hồ sơ')),
                ('stage', models.CharField(max_length=64, verbose_name='thời điểm áp dụng')),
                ('ruleset_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='phiên bản bộ quy tắc')),
                ('ruleset_effective_from', models.DateField(blank=True, null=True, verbose_name='hiệu lực từ')),
                ('evaluated_on', models.DateField(verbose_name='ngày đánh giá')),
                ('route', models.CharField(max_length=4, verbose_name='thẩm quyền')),
                ('checks', models.JSONField(verbose_name='kết quả kiểm tra')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('facts_digest', models.CharField(blank=True, default='', max_length=64, verbose_name='dấu các dữ kiện')),
                ('fingerprint', models.CharField(blank=True, default='', max_length=64, verbose_name='dấu vân tay hồ sơ')),
                ('reused_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='approvals.rulestamp', verbose_name='dùng lại kết quả của')),
            ],
            options={
                'verbose_name': 'dấu quy tắc',
                'verbose_name_plural': 'dấu quy tắc',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['request_kind', 'request_id', 'created_at'], name='approvals_r_request_10def8_idx')],
            },
        ),
        migrations.CreateModel(
            name='AgencyNotification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_kind', models.CharField(max_length=16, verbose_name='loại hồ sơ')),
                ('request_id', models.BigIntegerField(verbose_name='mã hồ sơ')),
                ('reason', models.CharField(choices=[('approval', 'Thông báo phê duyệt'), ('cancellation', 'Thông báo hủy'), ('extension', 'Thông báo gia hạn'), ('amendment', 'Thông báo điều chỉnh')], max_length=16, verbose_name='nội dung')),
                ('status', models.CharField(choices=[('pending', 'Đã chuẩn bị'), ('sent', 'Đã phát hành, đang chuyển'), ('delivered', 'Đã gửi đến cơ quan'), ('acknowledged', 'Đã xác nhận'), ('failed', 'Gửi lỗi')], default='pending', max_length=16, verbose_name='trạng thái')),
                ('due', models.DateField(verbose_name='hạn gửi')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='phát hành lúc')),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='xác nhận lúc')),
                ('acknowledgement_note', models.CharField(blank=True, max_length=255, verbose_name='ghi chú xác nhận')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='cơ quan nhận')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi nhận')),
                ('acknowledged_via', models.CharField(blank=True, choices=[('link', 'Qua liên kết xác nhận'), ('paper', 'Bằng văn bản'), ('phone', 'Qua điện thoại')], max_length=16, verbose_name='hình thức xác nhận')),
                ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='đã báo quá hạn lúc')),
                ('acknowledged_on', models.DateField(blank=True, null=True, verbose_name='ngày cơ quan xác nhận')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='đã gửi đến lúc')),
                ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người phát hành')),
            ],
            options={
                'verbose_name': 'thông báo cơ quan chức năng',
                'verbose_name_plural': 'thông báo cơ quan chức năng',
                'ordering': ['due', 'id'],
                'indexes': [models.Index(fields=['request_kind', 'request_id'], name='approvals_a_request_0e6fab_idx'), models.Index(fields=['status', 'due'], name='approvals_a_status_c665a5_idx')],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_kind', models.CharField(max_length=16, verbose_name='loại hồ sơ')),
                ('request_id', models.BigIntegerField(verbose_name='mã hồ sơ')),
                ('step', models.CharField(max_length=64, verbose_name='bước')),
                ('action', models.CharField(max_length=32, verbose_name='quyết định')),
                ('comment', models.TextField(blank=True, verbose_name='ý kiến')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='thông tin thêm')),
                ('task_id', models.BigIntegerField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm')),
                ('acting_for', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='thay mặt')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người quyết định')),
                ('content', models.JSONField(blank=True, default=dict, verbose_name='nội dung đã xem xét')),
                ('fingerprint', models.CharField(blank=True, max_length=64, verbose_name='dấu vân tay hồ sơ')),
                ('lapse_sections', models.JSONField(blank=True, default=list, verbose_name='nội dung đã thay đổi')),
                ('lapsed_at', models.DateTimeField(blank=True, null=True, verbose_name='hết hiệu lực lúc')),
            ],
            options={
                'verbose_name': 'quyết định',
                'verbose_name_plural': 'quyết định',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['request_kind', 'request_id', 'created_at'], name='approvals_d_request_652df5_idx')],
                'constraints': [models.UniqueConstraint(fields=('task_id',), name='decision_once_per_task')],
            },
        ),
        migrations.CreateModel(
            name='Justification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_kind', models.CharField(max_length=16, verbose_name='loại hồ sơ')),
                ('request_id', models.BigIntegerField(verbose_name='mã hồ sơ')),
                ('rule', models.CharField(max_length=32, verbose_name='quy tắc')),
                ('text', models.TextField(verbose_name='giải trình')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người giải trình')),
                ('stamp', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='justifications', to='approvals.rulestamp')),
            ],
            options={
                'verbose_name': 'giải trình',
                'verbose_name_plural': 'giải trình',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['request_kind', 'request_id'], name='approvals_j_request_e410e4_idx')],
            },
        ),
        migrations.CreateModel(
            name='DeadlineAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task_id', models.BigIntegerField(verbose_name='công việc')),
                ('kind', models.CharField(choices=[('reminder', 'Nhắc việc'), ('escalation', 'Báo cáo quá hạn')], max_length=16, verbose_name='loại')),
                ('due', models.DateField(verbose_name='hạn xử lý')),
                ('recipients', models.JSONField(default=list, verbose_name='người nhận')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
            ],
            options={
                'verbose_name': 'nhắc việc, báo cáo quá hạn',
                'verbose_name_plural': 'nhắc việc, báo cáo quá hạn',
                'ordering': ['-id'],
                'constraints': [models.UniqueConstraint(fields=('task_id', 'kind'), name='deadline_alert_once')],
            },
        ),
        migrations.CreateModel(
            name='AgencyRecipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_kind', models.CharField(blank=True, choices=[('outbound', 'Đoàn ra'), ('inbound', 'Đoàn vào')], max_length=16, verbose_name='loại hồ sơ')),
                ('route', models.CharField(blank=True, choices=[('WARD', 'Phường'), ('DEPT', 'Sở'), ('CITY', 'Thành phố')], max_length=4, verbose_name='thẩm quyền')),
                ('email', models.EmailField(max_length=254, verbose_name='thư điện tử')),
                ('agency', models.ForeignKey(limit_choices_to={'kind': 'agency'}, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit', verbose_name='cơ quan')),
            ],
            options={
                'verbose_name': 'địa chỉ nhận của cơ quan',
                'verbose_name_plural': 'địa chỉ nhận của cơ quan',
                'ordering': ['agency', 'request_kind', 'route', 'email'],
                'constraints': [models.UniqueConstraint(fields=('agency', 'request_kind', 'route', 'email'), name='agency_recipient_once')],
            },
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=500, verbose_name='nội dung')),
                ('url', models.CharField(blank=True, max_length=500, verbose_name='liên kết')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='đã đọc lúc')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL, verbose_name='người nhận')),
            ],
            options={
                'verbose_name': 'thông báo trong hệ thống',
                'verbose_name_plural': 'thông báo trong hệ thống',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['user', '-id'], name='notice_user'), models.Index(condition=models.Q(('read_at__isnull', True)), fields=['user'], name='notice_unread')],
            },
        ),
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('email', 'Thư điện tử')], default='email', max_length=16, verbose_name='kênh')),
                ('to_address', models.CharField(blank=True, max_length=1000, verbose_name='địa chỉ nhận')),
                ('subject', models.CharField(max_length=255, verbose_name='tiêu đề')),
                ('body_text', models.TextField(verbose_name='nội dung')),
                ('body_html', models.TextField(blank=True, verbose_name='nội dung HTML')),
                ('attachment', models.CharField(blank=True, max_length=255, verbose_name='tệp đính kèm')),
                ('request_kind', models.CharField(blank=True, max_length=16, verbose_name='loại hồ sơ')),
                ('request_id', models.BigIntegerField(blank=True, null=True, verbose_name='mã hồ sơ')),
                ('dedup_key', models.CharField(blank=True, max_length=200, null=True, unique=True)),
                ('status', models.CharField(choices=[('held', 'Chờ phát hành'), ('pending', 'Chờ gửi'), ('sending', 'Đang gửi'), ('sent', 'Đã gửi'), ('failed', 'Gửi lỗi')], default='pending', max_length=16, verbose_name='trạng thái')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần gửi')),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='gửi lần tới')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='bắt đầu gửi lúc')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='đã gửi lúc')),
                ('last_error', models.TextField(blank=True, verbose_name='lỗi gần nhất')),
                ('message_id', models.CharField(default=approvals.models.outbox.new_message_id, max_length=255, unique=True, verbose_name='Message-ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='tạo lúc')),
                ('notification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='messages', to='approvals.agencynotification', verbose_name='thông báo cơ quan chức năng')),
                ('to_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nhận')),
            ],
            options={
                'verbose_name': 'thư chờ gửi',
                'verbose_name_plural': 'hộp thư đi',
                'ordering': ['-id'],
                'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='outbox_pending_due'), models.Index(condition=models.Q(('status', 'sending')), fields=['claimed_at'], name='outbox_sending'), models.Index(fields=['status', 'id'], name='outbox_status'), models.Index(fields=['request_kind', 'request_id'], name='outbox_request')],
            },
        ),
        migrations.CreateModel(
            name='DocumentRegister',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='năm')),
                ('series', models.CharField(choices=[('decision', 'Quyết định'), ('letter', 'Công văn'), ('proposal', 'Tờ trình')], max_length=16, verbose_name='loại sổ')),
                ('confidential', models.BooleanField(default=False, verbose_name='sổ văn bản mật')),
                ('symbol', models.CharField(max_length=64, verbose_name='ký hiệu')),
                ('last_number', models.PositiveIntegerField(default=0, verbose_name='số đã cấp gần nhất')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='đơn vị ban hành')),
            ],
            options={
                'verbose_name': 'sổ đăng ký văn bản',
                'verbose_name_plural': 'sổ đăng ký văn bản',
                'ordering': ['-year', 'unit', 'series', 'confidential'],
                'constraints': [models.UniqueConstraint(fields=('unit', 'year', 'series', 'confidential'), name='document_register_unique')],
            },
        ),
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('outbound_decision', 'Quyết định cử đi / cho phép đi nước ngoài'), ('outbound_notice', 'Công văn thông báo Công an TP, Sở Ngoại vụ (đoàn ra)'), ('outbound_cancellation', 'Công văn thông báo hủy chuyến đi'), ('inbound_approval', 'Công văn đồng ý đón đoàn vào'), ('inbound_notice', 'Công văn thông báo Công an TP, Sở Ngoại vụ (đoàn vào)'), ('outbound_amendment', 'Quyết định điều chỉnh (gia hạn thời gian)'), ('outbound_revocation', 'Quyết định hủy bỏ quyết định cử đi / cho phép'), ('outbound_proposal', 'Tờ trình đề nghị UBND Thành phố'), ('inbound_proposal', 'Tờ trình đề nghị UBND Thành phố (đoàn vào)')], max_length=32, verbose_name='loại văn bản')),
                ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='số')),
                ('number_text', models.CharField(max_length=96, verbose_name='số, ký hiệu')),
                ('version', models.PositiveSmallIntegerField(default=1, verbose_name='phiên bản')),
                ('title', models.CharField(max_length=255, verbose_name='trích yếu')),
                ('request_kind', models.CharField(max_length=16, verbose_name='loại hồ sơ')),
                ('request_id', models.BigIntegerField(verbose_name='mã hồ sơ')),
                ('issued_on', models.DateField(verbose_name='ngày ban hành')),
                ('issued_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm cấp số')),
                ('reason', models.TextField(blank=True, verbose_name='lý do ban hành lại')),
                ('content', models.JSONField(verbose_name='nội dung')),
                ('pdf', models.FileField(blank=True, upload_to=approvals.models.documents.document_pdf_path, verbose_name='bản PDF')),
                ('pdf_sha256', models.CharField(blank=True, max_length=64)),
                ('docx', models.FileField(blank=True, upload_to=approvals.models.documents.document_docx_path, verbose_name='bản DOCX')),
                ('docx_sha256', models.CharField(blank=True, max_length=64)),
                ('rendered_at', models.DateTimeField(blank=True, null=True, verbose_name='đã tạo tệp lúc')),
                ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ban hành')),
                ('supersedes', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='superseded_by', to='approvals.document', verbose_name='thay thế phiên bản')),
                ('register', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='approvals.documentregister', verbose_name='sổ')),
                ('render_attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần tạo tệp')),
                ('render_claimed_at', models.DateTimeField(blank=True, null=True)),
                ('render_error', models.TextField(blank=True, verbose_name='lỗi tạo tệp')),
                ('render_next_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='tạo tệp lần tới lúc')),
                ('render_state', models.CharField(choices=[('awaiting_number', 'chờ văn thư vào số'), ('pending', 'chờ tạo tệp'), ('rendering', 'đang tạo tệp'), ('ready', 'đã có tệp'), ('failed', 'tạo tệp lỗi')], default='pending', max_length=16, verbose_name='tình trạng tệp')),
                ('number_entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người vào số')),
            ],
            options={
                'verbose_name': 'văn bản',
                'verbose_name_plural': 'văn bản',
                'ordering': ['request_kind', 'request_id', 'issued_at', 'id'],
                'indexes': [models.Index(fields=['request_kind', 'request_id', 'kind'], name='approvals_d_request_5de1b0_idx'), models.Index(fields=['render_state', 'render_next_at'], name='document_render_queue')],
                'constraints': [models.UniqueConstraint(fields=('register', 'number', 'version'), name='document_number_once'), models.UniqueConstraint(fields=('request_kind', 'request_id', 'kind', 'version'), name='document_kind_version_once_per_request'), models.CheckConstraint(condition=models.Q(('number__gt', 0)), name='document_number_positive')],
            },
        ),
        migrations.CreateModel(
            name='UnitNumbering',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mode', models.CharField(choices=[('here', 'Cấp số trong hệ thống'), ('entered', 'Văn thư nhập số từ sổ đăng ký văn bản của đơn vị')], default='here', max_length=16, verbose_name='cách cấp số')),
                ('unit', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit', verbose_name='đơn vị ban hành')),
            ],
            options={
                'verbose_name': 'cách cấp số văn bản của đơn vị',
                'verbose_name_plural': 'cách cấp số văn bản của đơn vị',
            },
        ),
        migrations.CreateModel(
            name='DocumentSignature',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('organisation', 'Chữ ký số của cơ quan'), ('personal', 'Chữ ký số của người ký')], max_length=16, verbose_name='loại chữ ký')),
                ('pdf', models.FileField(upload_to=approvals.models.documents.signed_pdf_path, verbose_name='bản PDF đã ký')),
                ('pdf_sha256', models.CharField(max_length=64)),
                ('certificate_subject', models.CharField(max_length=500, verbose_name='chứng thư số')),
                ('certificate_issuer', models.CharField(max_length=500, verbose_name='tổ chức cấp')),
                ('certificate_serial', models.CharField(max_length=100, verbose_name='số hiệu chứng thư')),
                ('certificate_sha256', models.CharField(max_length=64, verbose_name='dấu vân tay SHA-256')),
                ('signed_at', models.DateTimeField(verbose_name='thời điểm ký')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ghi nhận lúc')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='approvals.document', verbose_name='văn bản')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                ('signer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ký')),
            ],
            options={
                'verbose_name': 'chữ ký số trên văn bản',
                'verbose_name_plural': 'chữ ký số trên văn bản',
                'ordering': ['document', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SigningCertificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64, unique=True, verbose_name='dấu vân tay SHA-256')),
                ('subject', models.CharField(blank=True, max_length=500, verbose_name='chủ thể')),
                ('note', models.CharField(blank=True, max_length=255, verbose_name='ghi chú')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='đăng ký lúc')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signing_certificates', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
            ],
            options={
                'verbose_name': 'chứng thư số cá nhân',
                'verbose_name_plural': 'chứng thư số cá nhân',
                'ordering': ['user', 'id'],
            },
        ),
    ]
