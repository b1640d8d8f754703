"""The rule-set versions and the inbox (issue #10: workflow 0001-0003 squashed into one).

A fresh database gets both tables in one step, their columns in the order the old migrations left
them. A database that applied all three takes this migration as applied (``replaces``); one that
stopped earlier must be brought to ``0003_inbox_reference`` by the release before the squash
first (docs/production.md, *Upgrades*).

Dropped, because it changes nothing on an empty database: the data step of
``0003_inbox_reference`` (``copy_references``, which copied the rewritten references of requests
into their inbox rows), and with it the dependency on ``delegations`` that only that step needed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('workflow', '0001_initial'),
        ('workflow', '0002_inbox_entry'),
        ('workflow', '0003_inbox_reference'),
    ]

    dependencies = [
        ('org', '0001_squashed_0004_jurisdiction_legal_basis'),
        ('viewflow', '0015_task_scheduled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RuleSetVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective_from', models.DateField(unique=True, verbose_name='ngày hiệu lực')),
                ('params', models.JSONField(default=dict, verbose_name='tham số')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='ghi chú')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tạo')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
            ],
            options={
                'verbose_name': 'phiên bản bộ quy tắc',
                'verbose_name_plural': 'phiên bản bộ quy tắc',
                'ordering': ['-effective_from'],
            },
        ),
        migrations.CreateModel(
            name='InboxEntry',
            fields=[
                ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='inbox_entry', serialize=False, to='viewflow.task')),
                ('status', models.CharField(max_length=50)),
                ('owner_permission', models.CharField(blank=True, max_length=255)),
                ('permission_unit_id', models.BigIntegerField(blank=True, null=True)),
                ('step', models.CharField(max_length=64)),
                ('request_kind', models.CharField(max_length=16)),
                ('request_id', models.BigIntegerField()),
                ('reference', models.CharField(blank=True, max_length=64)),
                ('applicant_name', models.CharField(blank=True, max_length=255)),
                ('due', models.DateField()),
                ('created', models.DateTimeField()),
                ('finished', models.DateTimeField(blank=True, null=True)),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
            options={
                'verbose_name': 'công việc',
                'verbose_name_plural': 'công việc',
                'indexes': [models.Index(fields=['owner', 'status', 'due', 'task'], name='inbox_owner_idx'), models.Index(fields=['owner_permission', 'permission_unit_id', 'status', 'due', 'task'], name='inbox_queue_idx'), models.Index(fields=['request_kind', 'request_id'], name='inbox_request_idx')],
            },
        ),
    ]
