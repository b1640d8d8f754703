"""The directory: units, people and their passports, role and acting assignments, the
working-day calendar and the jurisdiction (issue #10: org 0001-0004 squashed into one).

A fresh database gets every table in one step, its columns in the order the four old migrations
left them. A database that applied all of them takes this migration as applied (``replaces``);
one that stopped before ``0004_jurisdiction_legal_basis`` must be brought there by the release
before the squash first (docs/production.md, *Upgrades*). Nothing was dropped: the old migrations
changed only the schema.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('org', '0001_initial'),
        ('org', '0002_person_gender'),
        ('org', '0003_jurisdiction'),
        ('org', '0004_jurisdiction_legal_basis'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='ngày')),
                ('kind', models.CharField(choices=[('day_off', 'Ngày nghỉ thêm'), ('working_day', 'Ngày làm việc bù')], max_length=16, verbose_name='loại')),
                ('note', models.CharField(blank=True, max_length=255, verbose_name='ghi chú')),
            ],
            options={
                'verbose_name': 'điều chỉnh lịch làm việc',
                'verbose_name_plural': 'điều chỉnh lịch làm việc',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='Unit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='mã đơn vị')),
                ('name', models.CharField(max_length=255, verbose_name='tên đơn vị')),
                ('name_en', models.CharField(blank=True, max_length=255, verbose_name='tên tiếng Anh')),
                ('kind', models.CharField(choices=[('city', 'Cơ quan cấp Thành phố'), ('department', 'Sở'), ('department_office', 'Phòng thuộc Sở'), ('school', 'Trường / cơ sở giáo dục'), ('ward', 'UBND phường, xã, đặc khu'), ('agency', 'Cơ quan nhận thông báo')], max_length=32, verbose_name='loại')),
                ('school_level', models.CharField(blank=True, choices=[('', '—'), ('preschool', 'Mầm non'), ('primary', 'Tiểu học'), ('lower_secondary', 'Trung học cơ sở'), ('upper_secondary', 'Trung học phổ thông'), ('multi_level', 'Nhiều cấp học'), ('continuing', 'GDTX / GDNN'), ('special', 'Giáo dục chuyên biệt')], default='', max_length=32, verbose_name='cấp học')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='thư điện tử')),
                ('address', models.CharField(blank=True, max_length=255, verbose_name='địa chỉ')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang hoạt động')),
                ('managing_authority', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='managed_units', to='org.unit', verbose_name='cơ quan quản lý')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='org.unit', verbose_name='đơn vị cấp trên')),
            ],
            options={
                'verbose_name': 'đơn vị',
                'verbose_name_plural': 'đơn vị',
                'ordering': ['code'],
                'permissions': [('view_unit_records', 'Xem hồ sơ của đơn vị'), ('file_for_unit', 'Lập hồ sơ cho đơn vị'), ('approve_as_unit_head', 'Phê duyệt với tư cách thủ trưởng đơn vị'), ('review_for_department', 'Thẩm định hồ sơ cho Sở'), ('decide_for_department', 'Quyết định với tư cách lãnh đạo Sở'), ('review_for_ward', 'Thẩm định hồ sơ cho phường'), ('decide_for_ward', 'Quyết định với tư cách Chủ tịch UBND phường'), ('audit_unit', 'Thanh tra, xuất dữ liệu')],
                'constraints': [models.CheckConstraint(condition=models.Q(('parent', models.F('id')), _negated=True), name='unit_not_own_parent')],
            },
        ),
        migrations.CreateModel(
            name='RoleAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('applicant', 'Người đề nghị'), ('clerk', 'Cán bộ phụ trách / văn thư'), ('unit_head', 'Thủ trưởng đơn vị'), ('dept_reviewer', 'Chuyên viên thẩm định (Sở)'), ('dept_office_head', 'Chánh Văn phòng Sở'), ('director', 'Giám đốc Sở'), ('deputy_director', 'Phó Giám đốc Sở'), ('ward_officer', 'Công chức phụ trách (phường)'), ('ward_chair', 'Chủ tịch UBND phường'), ('auditor', 'Thanh tra'), ('admin', 'Quản trị hệ thống')], max_length=32, verbose_name='vai trò')),
                ('starts_on', models.DateField(blank=True, null=True, verbose_name='từ ngày')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='đến ngày')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to='org.unit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'phân công vai trò',
                'verbose_name_plural': 'phân công vai trò',
                'ordering': ['unit', 'role'],
                'constraints': [models.UniqueConstraint(fields=('user', 'role', 'unit', 'starts_on'), name='role_assignment_unique'), models.CheckConstraint(condition=models.Q(('starts_on__isnull', True), ('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='role_assignment_dates_ordered')],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('staff_code', models.CharField(max_length=32, unique=True, verbose_name='mã cán bộ')),
                ('full_name', models.CharField(max_length=255, verbose_name='họ và tên')),
                ('date_of_birth', models.DateField(blank=True, null=True, verbose_name='ngày sinh')),
                ('position', models.CharField(blank=True, max_length=255, verbose_name='chức vụ')),
                ('category', models.CharField(choices=[('can_bo', 'Cán bộ'), ('cong_chuc', 'Công chức'), ('vien_chuc', 'Viên chức'), ('nguoi_lao_dong', 'Người lao động')], default='vien_chuc', max_length=32, verbose_name='ngạch / loại cán bộ')),
                ('is_key_leader', models.BooleanField(default=False, verbose_name='lãnh đạo chủ chốt')),
                ('is_party_managed', models.BooleanField(default=False, verbose_name='diện Ban Thường vụ Thành ủy quản lý')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='thư điện tử')),
                ('phone', models.CharField(blank=True, max_length=32, verbose_name='điện thoại')),
                ('exit_banned', models.BooleanField(default=False, verbose_name='đang bị tạm hoãn xuất cảnh')),
                ('under_discipline', models.BooleanField(default=False, verbose_name='đang bị xem xét kỷ luật hoặc tạm đình chỉ công tác')),
                ('under_inspection', models.BooleanField(default=False, verbose_name='đang bị thanh tra, kiểm tra về công việc phụ trách')),
                ('in_criminal_proceedings', models.BooleanField(default=False, verbose_name='đang bị điều tra, truy tố, xét xử')),
                ('in_civil_dispute', models.BooleanField(default=False, verbose_name='có tranh chấp dân sự, kinh tế chưa giải quyết xong')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang công tác')),
                ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='person', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='people', to='org.unit', verbose_name='đơn vị')),
                ('gender', models.CharField(blank=True, choices=[('male', 'Nam'), ('female', 'Nữ')], max_length=8, verbose_name='giới tính')),
            ],
            options={
                'verbose_name': 'cán bộ',
                'verbose_name_plural': 'cán bộ',
                'ordering': ['full_name'],
                'indexes': [models.Index(fields=['unit', 'full_name'], name='org_person_unit_id_dc8fa3_idx')],
            },
        ),
        migrations.CreateModel(
            name='ActingAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('applicant', 'Người đề nghị'), ('clerk', 'Cán bộ phụ trách / văn thư'), ('unit_head', 'Thủ trưởng đơn vị'), ('dept_reviewer', 'Chuyên viên thẩm định (Sở)'), ('dept_office_head', 'Chánh Văn phòng Sở'), ('director', 'Giám đốc Sở'), ('deputy_director', 'Phó Giám đốc Sở'), ('ward_officer', 'Công chức phụ trách (phường)'), ('ward_chair', 'Chủ tịch UBND phường'), ('auditor', 'Thanh tra'), ('admin', 'Quản trị hệ thống')], max_length=32, verbose_name='vai trò')),
                ('starts_on', models.DateField(verbose_name='từ ngày')),
                ('ends_on', models.DateField(verbose_name='đến ngày')),
                ('reason', models.CharField(blank=True, max_length=255, verbose_name='lý do')),
                ('acting_user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acting_assignments', to=settings.AUTH_USER_MODEL, verbose_name='người được giao')),
                ('holder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='acted_for', to=settings.AUTH_USER_MODEL, verbose_name='người giữ vai trò')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acting_assignments', to='org.unit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'phân công tạm thời (quyền, phụ trách)',
                'verbose_name_plural': 'phân công tạm thời (quyền, phụ trách)',
                'ordering': ['-starts_on'],
                'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='acting_dates_ordered'), models.CheckConstraint(condition=models.Q(('acting_user', models.F('holder')), _negated=True), name='acting_not_for_self')],
            },
        ),
        migrations.CreateModel(
            name='Passport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('ordinary', 'Hộ chiếu phổ thông'), ('official', 'Hộ chiếu công vụ'), ('diplomatic', 'Hộ chiếu ngoại giao')], max_length=16, verbose_name='loại')),
                ('number', models.CharField(max_length=32, verbose_name='số hộ chiếu')),
                ('issued_on', models.DateField(blank=True, null=True, verbose_name='ngày cấp')),
                ('expires_on', models.DateField(verbose_name='ngày hết hạn')),
                ('custody', models.CharField(choices=[('holder', 'Người mang hộ chiếu giữ'), ('unit', 'Đơn vị giữ'), ('department', 'Sở giữ')], default='holder', max_length=16, verbose_name='nơi giữ')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='passports', to='org.person', verbose_name='cán bộ')),
            ],
            options={
                'verbose_name': 'hộ chiếu',
                'verbose_name_plural': 'hộ chiếu',
                'ordering': ['person', '-expires_on'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'number'), name='passport_kind_number_unique'), models.CheckConstraint(condition=models.Q(('issued_on__isnull', True), ('expires_on__gt', models.F('issued_on')), _connector='OR'), name='passport_expires_after_issue')],
            },
        ),
        migrations.CreateModel(
            name='Jurisdiction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(default='current', editable=False, max_length=16, unique=True)),
                ('city_name', models.CharField(default='Thành phố Hồ Chí Minh', help_text='Như trong quốc hiệu của văn bản: Thành phố Hồ Chí Minh, Thành phố Hải Phòng.', max_length=120, verbose_name='tên thành phố, tỉnh')),
                ('department_name', models.CharField(default='Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh', max_length=255, verbose_name='tên Sở')),
                ('department_name_en', models.CharField(blank=True, default='Ho Chi Minh City Department of Education and Training', max_length=255, verbose_name='tên Sở (tiếng Anh)')),
                ('department_short', models.CharField(default='Sở GDĐT TP.HCM', max_length=60, verbose_name='tên viết tắt của Sở')),
                ('reviewing_office', models.CharField(default='Văn phòng Sở', max_length=255, verbose_name='phòng thẩm định hồ sơ')),
                ('agencies_notified', models.TextField(blank=True, verbose_name='cơ quan được thông báo (mỗi dòng một cơ quan)')),
                ('report_deadline', models.CharField(blank=True, max_length=5, verbose_name='hạn đơn vị báo cáo năm (MM-DD)')),
                ('report_period_start', models.CharField(blank=True, max_length=5, verbose_name='ngày đầu kỳ báo cáo năm (MM-DD)')),
                ('city_short', models.CharField(default='TP.HCM', help_text='Trong các căn cứ của quy tắc và tên viết tắt: TP.HCM, TP. Hải Phòng.', max_length=40, verbose_name='tên thành phố viết tắt')),
                ('legal_basis', models.TextField(default='Căn cứ Quyết định số 14/2022/QĐ-UBND ngày 19 tháng 4 năm 2022 của Ủy ban nhân dân Thành phố Hồ Chí Minh về quản lý và xét duyệt cán bộ, công chức, viên chức và người lao động đi nước ngoài;', help_text='Dòng Căn cứ trong quyết định và tờ trình: văn bản của thành phố về quản lý cán bộ, công chức, viên chức đi nước ngoài.', verbose_name='căn cứ của thành phố về cán bộ đi nước ngoài')),
                ('office_code', models.CharField(default='VP', help_text='Ở dòng Lưu của văn bản (Lưu: VT, VP.): VP, TCHC.', max_length=20, verbose_name='ký hiệu phòng thẩm định (nơi lưu)')),
                ('office_head', models.CharField(default='Chánh Văn phòng Sở', help_text='Người đề nghị và thi hành trong quyết định: Chánh Văn phòng Sở, Trưởng phòng Tổ chức - Hành chính.', max_length=120, verbose_name='chức danh trưởng phòng thẩm định')),
                ('place_name', models.CharField(default='Thành phố Hồ Chí Minh', help_text='Địa danh ở dòng ngày tháng của văn bản do Sở ban hành (NĐ 30, Phụ lục I).', max_length=120, verbose_name='địa danh trên văn bản')),
                ('rule_bases', models.JSONField(blank=True, default=dict, help_text='Theo khóa của bộ quy tắc (docs/reporting.md); khóa không có: văn bản mặc định của bộ quy tắc.', verbose_name='văn bản của thành phố trong căn cứ các quy tắc')),
            ],
            options={
                'verbose_name': 'thông tin địa phương',
                'verbose_name_plural': 'thông tin địa phương',
            },
        ),
    ]
