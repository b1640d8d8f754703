"""The dossiers: outbound requests and inbound visits with their members, stops, visitors
and attachments, partners and agreements, reference counters, reporting rounds (issue #10:
delegations 0001-0009 squashed into one).

A fresh database gets every table, index and constraint in one step (the request lists' indexes
of ``0009_request_list_indexes`` and the partial unique references of ``0004_references``
included), its columns in the order the old migrations left them. A database that applied all
nine takes this migration as applied (``replaces``); one that stopped earlier must be brought to
``0009_request_list_indexes`` by the release before the squash first (docs/production.md,
*Upgrades*).

Dropped, because it changes nothing on an empty database: the data step of ``0004_references``
(``rewrite``, which prefixed the references numbered before it, ``2026/0001`` becoming
``THPT-A/ĐR/2026/0001``).
"""

import delegations.models.common
import delegations.models.partners
import delegations.models.reporting
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('delegations', '0001_initial'),
        ('delegations', '0002_outboundrequest_outboundmember_outboundstop_and_more'),
        ('delegations', '0003_inboundvisit_visitor'),
        ('delegations', '0004_references'),
        ('delegations', '0005_member_confirmation'),
        ('delegations', '0006_agreement_register'),
        ('delegations', '0007_reporting_rounds'),
        ('delegations', '0008_outbound_text_limits'),
        ('delegations', '0009_request_list_indexes'),
    ]

    dependencies = [
        ('org', '0001_squashed_0004_jurisdiction_legal_basis'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Partner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='tên đối tác')),
                ('name_en', models.CharField(blank=True, max_length=255, verbose_name='tên tiếng Anh')),
                ('country', models.CharField(max_length=2, verbose_name='quốc gia (ISO 3166-1)')),
                ('is_enterprise', models.BooleanField(default=False, verbose_name='là doanh nghiệp')),
                ('website', models.URLField(blank=True, verbose_name='trang web')),
            ],
            options={
                'verbose_name': 'đối tác nước ngoài',
                'verbose_name_plural': 'đối tác nước ngoài',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('name', 'country'), name='partner_name_country_unique')],
            },
        ),
        migrations.CreateModel(
            name='Agreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='tên văn bản')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='ngày ký')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='ngày hết hiệu lực')),
                ('scope', models.TextField(blank=True, verbose_name='nội dung hợp tác')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='org.unit', verbose_name='đơn vị ký kết')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='delegations.partner', verbose_name='đối tác')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ngày tạo')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đề xuất')),
                ('effective_on', models.DateField(blank=True, null=True, verbose_name='ngày có hiệu lực')),
                ('parties', models.TextField(blank=True, verbose_name='các bên ký kết')),
                ('status', models.CharField(choices=[('proposed', 'Đề xuất'), ('approved', 'Đã được chấp thuận'), ('in_force', 'Đang có hiệu lực'), ('expiring', 'Sắp hết hiệu lực'), ('expired', 'Hết hiệu lực'), ('terminated', 'Chấm dứt'), ('rejected', 'Không chấp thuận')], db_index=True, default='in_force', max_length=16, verbose_name='trạng thái')),
                ('terminated_on', models.DateField(blank=True, null=True, verbose_name='ngày chấm dứt')),
            ],
            options={
                'verbose_name': 'biên bản ghi nhớ / thỏa thuận',
                'verbose_name_plural': 'biên bản ghi nhớ / thỏa thuận',
                'ordering': ['-signed_on'],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_on__isnull', True), ('expires_on__gt', models.F('signed_on')), _connector='OR'), name='agreement_expires_after_signing'), models.UniqueConstraint(fields=('partner', 'unit', 'signed_on'), name='agreement_unique_per_day')],
            },
        ),
        migrations.CreateModel(
            name='OutboundRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(blank=True, max_length=64, null=True, verbose_name='số hồ sơ')),
                ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('submitted', 'Đang xét duyệt'), ('returned', 'Trả lại để bổ sung'), ('approved', 'Đã phê duyệt'), ('rejected', 'Không phê duyệt'), ('withdrawn', 'Đã rút'), ('cancelled', 'Đã hủy'), ('travelling', 'Đang ở nước ngoài'), ('returned_home', 'Đã về nước'), ('closed', 'Đã kết thúc')], default='draft', max_length=16, verbose_name='trạng thái')),
                ('route', models.CharField(blank=True, choices=[('WARD', 'UBND phường quyết định'), ('DEPT', 'Sở GDĐT quyết định'), ('CITY', 'UBND Thành phố quyết định')], max_length=4, null=True, verbose_name='thẩm quyền')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ngày lập')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày trình lần đầu')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày quyết định')),
                ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='số quyết định')),
                ('decision_date', models.DateField(blank=True, null=True, verbose_name='ngày ký quyết định')),
                ('report_due', models.DateField(blank=True, null=True, verbose_name='hạn nộp báo cáo')),
                ('report_text', models.TextField(blank=True, verbose_name='báo cáo kết quả')),
                ('report_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày nộp báo cáo')),
                ('report_accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày chấp nhận báo cáo')),
                ('version', models.PositiveIntegerField(default=1)),
                ('kind', models.CharField(choices=[('official', 'Công vụ'), ('personal', 'Việc riêng')], max_length=16, verbose_name='loại chuyến đi')),
                ('purpose_category', models.CharField(choices=[('conference', 'Hội nghị, hội thảo'), ('study', 'Học tập, khảo sát'), ('training', 'Đào tạo, bồi dưỡng'), ('exchange', 'Giao lưu, trao đổi'), ('mou', 'Ký kết hợp tác'), ('family', 'Thăm thân'), ('tourism', 'Du lịch'), ('medical', 'Khám, chữa bệnh'), ('other', 'Khác')], max_length=16, verbose_name='mục đích')),
                ('purpose', models.TextField(max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='nội dung, mục đích chuyến đi')),
                ('expected_results', models.TextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='kết quả dự kiến')),
                ('departure_date', models.DateField(verbose_name='ngày đi')),
                ('return_date', models.DateField(verbose_name='ngày về')),
                ('inviter_name', models.CharField(blank=True, max_length=255, verbose_name='cơ quan, tổ chức mời')),
                ('inviter_country', models.CharField(blank=True, max_length=2, verbose_name='quốc gia của bên mời')),
                ('inviter_is_enterprise', models.BooleanField(default=False, verbose_name='bên mời là doanh nghiệp')),
                ('named_invitation', models.BooleanField(default=False, verbose_name='thư mời đích danh')),
                ('sponsored_by_enterprise', models.BooleanField(default=False, verbose_name='doanh nghiệp tài trợ chuyến đi')),
                ('tied_to_contract', models.BooleanField(default=False, verbose_name='gắn với hợp đồng, dự án')),
                ('funding_source', models.CharField(choices=[('state_budget', 'Ngân sách nhà nước'), ('unit_revenue', 'Nguồn thu của đơn vị'), ('foreign_partner', 'Đối tác nước ngoài'), ('project', 'Dự án, hợp đồng'), ('self', 'Tự túc'), ('enterprise', 'Doanh nghiệp tài trợ')], max_length=16, verbose_name='nguồn kinh phí')),
                ('funding_details', models.TextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='chi tiết nguồn kinh phí')),
                ('estimated_cost', models.PositiveBigIntegerField(default=0, verbose_name='dự toán (đồng)')),
                ('work_programme', models.TextField(blank=True, max_length=20000, validators=[django.core.validators.MaxLengthValidator(20000)], verbose_name='chương trình làm việc')),
                ('presentation_abroad', models.BooleanField(default=False, verbose_name='có trình bày tham luận ở nước ngoài')),
                ('presentation_text', models.TextField(blank=True, max_length=20000, validators=[django.core.validators.MaxLengthValidator(20000)], verbose_name='nội dung tham luận, phát biểu')),
                ('head_appraisal', models.TextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='ý kiến thẩm định của thủ trưởng')),
                ('actual_departure', models.DateField(blank=True, null=True, verbose_name='ngày xuất cảnh thực tế')),
                ('actual_return', models.DateField(blank=True, null=True, verbose_name='ngày nhập cảnh thực tế')),
                ('agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='delegations.agreement', verbose_name='biên bản ghi nhớ')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người lập')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='delegations.partner', verbose_name='đối tác')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'hồ sơ đoàn ra',
                'verbose_name_plural': 'hồ sơ đoàn ra',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['unit', 'status'], name='delegations_unit_id_56dbe3_idx'), models.Index(fields=['status', 'departure_date'], name='delegations_status_cb4b08_idx'), models.Index(fields=['created_by', 'id'], name='outbound_author_newest'), models.Index(fields=['unit', 'id'], name='outbound_unit_newest'), models.Index(fields=['route', 'id'], name='outbound_route_newest')],
                'constraints': [models.CheckConstraint(condition=models.Q(('return_date__gte', models.F('departure_date'))), name='outbound_return_after_departure'), models.UniqueConstraint(condition=models.Q(('reference__isnull', False)), fields=('reference',), name='outbound_reference_unique'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('purpose'), 5000), name='outbound_purpose_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('expected_results'), 5000), name='outbound_expected_results_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('funding_details'), 5000), name='outbound_funding_details_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('work_programme'), 20000), name='outbound_work_programme_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('presentation_text'), 20000), name='outbound_presentation_text_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('head_appraisal'), 5000), name='outbound_head_appraisal_length')],
            },
        ),
        migrations.CreateModel(
            name='OutboundMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('head', 'Trưởng đoàn'), ('member', 'Thành viên')], default='member', max_length=8, verbose_name='vai trò trong đoàn')),
                ('passport_due_on', models.DateField(blank=True, null=True, verbose_name='hạn nộp lại hộ chiếu')),
                ('passport_returned_on', models.DateField(blank=True, null=True, verbose_name='ngày nộp lại hộ chiếu')),
                ('passport', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.passport', verbose_name='hộ chiếu sử dụng')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outbound_trips', to='org.person', verbose_name='cán bộ')),
                ('relative_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.person', verbose_name='là người thân của')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='delegations.outboundrequest')),
                ('confirmation', models.CharField(choices=[('not_needed', 'Không cần xác nhận'), ('pending', 'Chờ xác nhận'), ('confirmed', 'Đã xác nhận')], default='not_needed', max_length=16, verbose_name='xác nhận tham gia')),
                ('confirmation_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm xác nhận')),
            ],
            options={
                'verbose_name': 'thành viên đoàn',
                'verbose_name_plural': 'thành viên đoàn',
                'ordering': ['request', '-role', 'id'],
                'indexes': [models.Index(fields=['person', 'request'], name='outbound_member_trips')],
                'constraints': [models.UniqueConstraint(fields=('request', 'person'), name='outbound_member_once')],
            },
        ),
        migrations.CreateModel(
            name='OutboundStop',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('country', models.CharField(max_length=2, verbose_name='quốc gia')),
                ('days', models.PositiveSmallIntegerField(verbose_name='số ngày')),
                ('cities', models.CharField(blank=True, max_length=255, verbose_name='thành phố')),
                ('major_event', models.BooleanField(default=False, verbose_name='sự kiện lớn')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='itinerary', to='delegations.outboundrequest')),
            ],
            options={
                'verbose_name': 'lịch trình',
                'verbose_name_plural': 'lịch trình',
                'ordering': ['request', 'order', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('days__gt', 0)), name='stop_days_positive')],
            },
        ),
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField()),
                ('kind', models.CharField(choices=[('outbound', 'Đoàn ra'), ('inbound', 'Đoàn vào')], max_length=16)),
                ('last', models.PositiveIntegerField(default=0)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'year', 'kind'), name='reference_counter_unique')],
            },
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_kind', models.CharField(choices=[('outbound', 'Đoàn ra'), ('inbound', 'Đoàn vào')], max_length=16)),
                ('request_id', models.BigIntegerField()),
                ('kind', models.CharField(choices=[('invitation', 'Thư mời và bản dịch'), ('cv', 'Sơ yếu lý lịch'), ('programme', 'Chương trình làm việc'), ('cost_estimate', 'Dự toán kinh phí'), ('speech', 'Nội dung bài phát biểu, tham luận'), ('passport_copy', 'Bản sao hộ chiếu'), ('visitor_list', 'Danh sách khách'), ('city_decision', 'Văn bản của UBND Thành phố'), ('report', 'Báo cáo kết quả'), ('other', 'Khác')], max_length=32, verbose_name='loại tài liệu')),
                ('file', models.FileField(upload_to=delegations.models.common._attachment_path, verbose_name='tệp')),
                ('original_name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'tài liệu đính kèm',
                'verbose_name_plural': 'tài liệu đính kèm',
                'ordering': ['uploaded_at'],
                'indexes': [models.Index(fields=['request_kind', 'request_id'], name='delegations_request_ad202f_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('size__gt', 0)), name='attachment_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='InboundVisit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(blank=True, max_length=64, null=True, verbose_name='số hồ sơ')),
                ('route', models.CharField(blank=True, choices=[('WARD', 'UBND phường quyết định'), ('DEPT', 'Sở GDĐT quyết định'), ('CITY', 'UBND Thành phố quyết định')], max_length=4, null=True, verbose_name='thẩm quyền')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ngày lập')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày trình lần đầu')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày quyết định')),
                ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='số quyết định')),
                ('decision_date', models.DateField(blank=True, null=True, verbose_name='ngày ký quyết định')),
                ('report_due', models.DateField(blank=True, null=True, verbose_name='hạn nộp báo cáo')),
                ('report_text', models.TextField(blank=True, verbose_name='báo cáo kết quả')),
                ('report_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày nộp báo cáo')),
                ('report_accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày chấp nhận báo cáo')),
                ('version', models.PositiveIntegerField(default=1)),
                ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('submitted', 'Đang xét duyệt'), ('returned', 'Trả lại để bổ sung'), ('approved', 'Đã phê duyệt'), ('rejected', 'Không phê duyệt'), ('withdrawn', 'Đã rút'), ('cancelled', 'Đã hủy'), ('visiting', 'Đoàn đang làm việc'), ('visit_ended', 'Đoàn đã về'), ('closed', 'Đã kết thúc')], default='draft', max_length=16, verbose_name='trạng thái')),
                ('organisation', models.CharField(max_length=255, verbose_name='cơ quan, tổ chức nước ngoài')),
                ('country', models.CharField(max_length=2, verbose_name='quốc gia')),
                ('purpose_category', models.CharField(choices=[('visit', 'Thăm, giao lưu'), ('teaching', 'Giảng dạy'), ('internship', 'Thực tập'), ('study', 'Học tập'), ('cooperation', 'Tìm hiểu hợp tác'), ('conference', 'Hội nghị, hội thảo'), ('other', 'Khác')], max_length=16, verbose_name='mục đích')),
                ('purpose', models.TextField(verbose_name='nội dung, mục đích làm việc')),
                ('arrival_date', models.DateField(verbose_name='ngày đoàn đến')),
                ('departure_date', models.DateField(verbose_name='ngày đoàn về')),
                ('programme', models.TextField(blank=True, verbose_name='chương trình làm việc (ngày, giờ, nội dung)')),
                ('venues', models.TextField(blank=True, verbose_name='địa điểm làm việc tại đơn vị')),
                ('interpreter', models.CharField(blank=True, max_length=255, verbose_name='phiên dịch')),
                ('press_coverage', models.BooleanField(default=False, verbose_name='có báo chí đưa tin')),
                ('sponsor', models.CharField(blank=True, max_length=255, verbose_name='nhà tài trợ')),
                ('enterprise_involved', models.BooleanField(default=False, verbose_name='có doanh nghiệp tham gia')),
                ('involves_student_recruitment', models.BooleanField(default=False, verbose_name='có tư vấn du học, quảng bá học bổng cho học sinh')),
                ('involves_advertising', models.BooleanField(default=False, verbose_name='có quảng cáo thương mại')),
                ('is_conference', models.BooleanField(default=False, verbose_name='hội nghị, hội thảo quốc tế')),
                ('senior_guest_level', models.CharField(blank=True, choices=[('', '—'), ('minister', 'Bộ trưởng hoặc tương đương'), ('vice_minister', 'Thứ trưởng hoặc tương đương'), ('ambassador', 'Đại sứ, Tổng Lãnh sự'), ('other', 'Khác')], max_length=16, verbose_name='cấp khách cao nhất')),
                ('prime_minister_decides', models.BooleanField(default=False, verbose_name='thuộc thẩm quyền Thủ tướng Chính phủ')),
                ('accommodation_kind', models.CharField(blank=True, choices=[('', '—'), ('hotel', 'Khách sạn, cơ sở lưu trú'), ('host', 'Đơn vị đón bố trí')], max_length=8, verbose_name='nơi lưu trú')),
                ('accommodation_address', models.CharField(blank=True, max_length=500, verbose_name='địa chỉ lưu trú')),
                ('residence_declared_at', models.DateTimeField(blank=True, null=True, verbose_name='đã khai báo tạm trú lúc')),
                ('actual_arrival', models.DateField(blank=True, null=True, verbose_name='ngày đến thực tế')),
                ('actual_departure', models.DateField(blank=True, null=True, verbose_name='ngày về thực tế')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người lập')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='đơn vị')),
                ('agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='delegations.agreement', verbose_name='biên bản ghi nhớ')),
            ],
            options={
                'verbose_name': 'hồ sơ đoàn vào',
                'verbose_name_plural': 'hồ sơ đoàn vào',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['unit', 'status'], name='delegations_unit_id_47bbaf_idx'), models.Index(fields=['status', 'arrival_date'], name='delegations_status_d5e956_idx'), models.Index(fields=['created_by', 'id'], name='inbound_author_newest'), models.Index(fields=['unit', 'id'], name='inbound_unit_newest'), models.Index(fields=['route', 'id'], name='inbound_route_newest')],
                'constraints': [models.CheckConstraint(condition=models.Q(('departure_date__gte', models.F('arrival_date'))), name='inbound_departure_after_arrival'), models.UniqueConstraint(condition=models.Q(('reference__isnull', False)), fields=('reference',), name='inbound_reference_unique')],
            },
        ),
        migrations.CreateModel(
            name='Visitor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('full_name', models.CharField(max_length=255, verbose_name='họ tên')),
                ('nationality', models.CharField(blank=True, max_length=2, verbose_name='quốc tịch')),
                ('passport_number', models.CharField(blank=True, max_length=32, verbose_name='số hộ chiếu')),
                ('passport_expiry', models.DateField(blank=True, null=True, verbose_name='ngày hết hạn hộ chiếu')),
                ('date_of_birth', models.DateField(blank=True, null=True, verbose_name='ngày sinh')),
                ('organisation', models.CharField(blank=True, max_length=255, verbose_name='cơ quan, tổ chức')),
                ('title', models.CharField(blank=True, max_length=255, verbose_name='chức danh')),
                ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visitors', to='delegations.inboundvisit')),
            ],
            options={
                'verbose_name': 'khách',
                'verbose_name_plural': 'danh sách khách',
                'ordering': ['visit', 'order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AgreementActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_on', models.DateField(verbose_name='ngày thực hiện')),
                ('description', models.CharField(max_length=500, verbose_name='nội dung hoạt động')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm ghi')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='delegations.agreement', verbose_name='biên bản ghi nhớ')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi')),
            ],
            options={
                'verbose_name': 'hoạt động triển khai biên bản ghi nhớ',
                'verbose_name_plural': 'hoạt động triển khai biên bản ghi nhớ',
                'ordering': ['held_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AgreementFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=255, upload_to=delegations.models.partners.agreement_file_path, verbose_name='tệp')),
                ('name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tải lên')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='delegations.agreement', verbose_name='biên bản ghi nhớ')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tải lên')),
            ],
            options={
                'verbose_name': 'tệp biên bản ghi nhớ',
                'verbose_name_plural': 'tệp biên bản ghi nhớ',
                'ordering': ['uploaded_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AgreementAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('days_before', models.PositiveSmallIntegerField(verbose_name='số ngày trước hạn')),
                ('expires_on', models.DateField(verbose_name='ngày hết hiệu lực')),
                ('recipients', models.JSONField(default=list, verbose_name='người nhận')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='delegations.agreement')),
            ],
            options={
                'verbose_name': 'nhắc hạn biên bản ghi nhớ',
                'verbose_name_plural': 'nhắc hạn biên bản ghi nhớ',
                'constraints': [models.UniqueConstraint(fields=('agreement', 'days_before', 'expires_on'), name='agreement_alert_once')],
            },
        ),
        migrations.CreateModel(
            name='ReportingRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='tên đợt báo cáo')),
                ('period_from', models.DateField(verbose_name='kỳ báo cáo từ ngày')),
                ('period_to', models.DateField(verbose_name='kỳ báo cáo đến ngày')),
                ('deadline', models.DateField(verbose_name='hạn nộp')),
                ('instructions', models.TextField(blank=True, verbose_name='hướng dẫn')),
                ('template', models.FileField(blank=True, upload_to='reporting/templates/', verbose_name='mẫu báo cáo')),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm mở')),
                ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người mở đợt')),
            ],
            options={
                'verbose_name': 'đợt báo cáo',
                'verbose_name_plural': 'đợt báo cáo',
                'ordering': ['-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('period_to__gte', models.F('period_from'))), name='round_period_ordered')],
            },
        ),
        migrations.CreateModel(
            name='UnitReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Chưa nộp'), ('submitted', 'Đã nộp, chờ thủ trưởng duyệt'), ('returned', 'Thủ trưởng trả lại'), ('approved', 'Đã duyệt')], default='pending', max_length=16, verbose_name='trạng thái')),
                ('figures', models.JSONField(blank=True, default=dict, verbose_name='số liệu')),
                ('results', models.TextField(blank=True, verbose_name='kết quả đạt được')),
                ('difficulties', models.TextField(blank=True, verbose_name='khó khăn, vướng mắc')),
                ('recommendations', models.TextField(blank=True, verbose_name='kiến nghị, đề xuất')),
                ('attachment', models.FileField(blank=True, max_length=255, upload_to=delegations.models.reporting.unit_report_file_path, verbose_name='tệp đính kèm')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm nộp')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm duyệt')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nộp')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='delegations.reportinground', verbose_name='đợt báo cáo')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'báo cáo của đơn vị',
                'verbose_name_plural': 'báo cáo của đơn vị',
                'ordering': ['round', 'unit__code'],
                'constraints': [models.UniqueConstraint(fields=('round', 'unit'), name='unit_report_once_per_round')],
            },
        ),
    ]
