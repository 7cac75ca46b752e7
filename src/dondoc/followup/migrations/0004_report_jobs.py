"""The periodic reports monitors ask for (ReportJob): the request, its progress and its two files."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_memberships_per_user'),
        ('directives', '0010_report_status_index'),
        ('followup', '0003_reminder_rule_days'),
        ('registry', '0003_outside_jurisdiction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='last sign of life')),
                ('period', models.CharField(max_length=30, verbose_name='reporting period')),
                ('as_of', models.DateField(verbose_name='figures as of')),
                ('signer_authority', models.CharField(blank=True, max_length=100, verbose_name='signing authority')),
                ('signer_title', models.CharField(max_length=100, verbose_name="signer's title")),
                ('state', models.CharField(choices=[('queued', 'waiting'), ('collecting', 'collecting the figures'), ('writing', 'writing the documents'), ('done', 'ready to download'), ('failed', 'failed')], default='queued', max_length=10, verbose_name='state')),
                ('report', models.BinaryField(null=True, verbose_name='report (.docx)')),
                ('annex', models.BinaryField(null=True, verbose_name='statistics annex (.xlsx)')),
                ('directives', models.ManyToManyField(related_name='+', to='directives.directive', verbose_name='directives covered')),
                ('issuer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.organization', verbose_name='issuing body')),
                ('jurisdiction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.jurisdiction', verbose_name='jurisdiction')),
                ('membership', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.membership', verbose_name='role')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'periodic report',
                'verbose_name_plural': 'periodic reports',
                'ordering': ('-created_at', '-id'),
            },
        ),
    ]
