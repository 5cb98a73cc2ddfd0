import type { ReactNode } from 'react';
import { Button, Card, Col, List, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import {
  AppstoreOutlined,
  ContactsOutlined,
  HomeOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../bindings/AuditEntry';
import type { ExpiringCertificate } from '../../bindings/ExpiringCertificate';
import { useSession } from '../../app/session';
import { ExpiryTag, EXPIRY_DANGER_DAYS } from '../../components/ExpiryTag';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { ActionTag } from '../audit/ActionTag';
import { CategoryChart } from './CategoryChart';
import { useDashboard } from './queries';

function Kpi(props: { title: string; value: number; suffix?: string; footer: ReactNode; icon: ReactNode; to: string; testId: string }) {
  const navigate = useNavigate();
  return (
    <Card hoverable className="kpi-card" onClick={() => navigate(props.to)} data-testid={props.testId}>
      <div className="kpi-icon">{props.icon}</div>
      <Statistic title={props.title} value={props.value} suffix={props.suffix} />
      <Typography.Text type="secondary" className="kpi-footer">
        {props.footer}
      </Typography.Text>
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { actor, can, status } = useSession();
  const navigate = useNavigate();
  const dash = useDashboard();
  const d = dash.data;

  const certColumns = [
    {
      key: 'supplier',
      title: t('dashboard:certificates.supplier'),
      render: (_: unknown, c: ExpiringCertificate) => (
        <div>
          <div>{c.supplier_name}</div>
          <Typography.Text type="secondary" className="cell-sub">
            {c.supplier_code}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'kind',
      title: t('dashboard:certificates.kind'),
      render: (_: unknown, c: ExpiringCertificate) => (
        <div>
          <div>{c.kind}</div>
          <Typography.Text type="secondary" className="cell-sub">
            {c.number}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'expires_on',
      title: t('dashboard:certificates.expiresOn'),
      dataIndex: 'expires_on',
      width: 110,
      render: (v: string, c: ExpiringCertificate) => <span className={c.days_left < EXPIRY_DANGER_DAYS ? 'text-danger' : undefined}>{v}</span>,
    },
    {
      key: 'days_left',
      title: t('dashboard:certificates.daysLeft'),
      dataIndex: 'days_left',
      width: 120,
      render: (v: number) => <ExpiryTag daysLeft={v} />,
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title={t('dashboard:title')}
        subtitle={t('dashboard:welcome', { name: actor.display_name || actor.username, company: status.company?.company_name ?? '' })}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void dash.refetch()} loading={dash.isFetching}>
            {t('common:actions.refresh')}
          </Button>
        }
      />
      <QueryError error={dash.error} onRetry={() => void dash.refetch()} />
      {!d ? (
        dash.isPending && <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} xl={6}>
              <Kpi
                testId="kpi-products"
                to="/products"
                icon={<AppstoreOutlined />}
                title={t('dashboard:kpi.activeProducts')}
                value={d.active_products}
                footer={t('dashboard:kpi.productsFooter', { archived: d.archived_products, total: d.products })}
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Kpi
                testId="kpi-suppliers"
                to="/suppliers"
                icon={<ShopOutlined />}
                title={t('dashboard:kpi.approvedSuppliers')}
                value={d.approved_suppliers}
                suffix={`/ ${d.suppliers}`}
                footer={t('dashboard:kpi.suppliersFooter', { total: d.suppliers })}
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Kpi
                testId="kpi-warehouses"
                to="/warehouses"
                icon={<HomeOutlined />}
                title={t('dashboard:kpi.warehouses')}
                value={d.warehouses}
                footer={t('dashboard:kpi.locationsFooter', { count: d.locations })}
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Kpi
                testId="kpi-customers"
                to="/customers"
                icon={<ContactsOutlined />}
                title={t('dashboard:kpi.customers')}
                value={d.customers}
                footer={t('dashboard:kpi.vipFooter', { count: d.vip_customers })}
              />
            </Col>
          </Row>
          <Row gutter={[16, 16]} className="dashboard-row">
            <Col xs={24} xl={12}>
              <Card title={t('dashboard:chart.title')} className="dashboard-card">
                <CategoryChart data={d.products_by_category} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card
                title={
                  <span>
                    <SafetyCertificateOutlined /> {t('dashboard:certificates.title')}
                  </span>
                }
                className="dashboard-card"
                extra={
                  <Button type="link" onClick={() => navigate('/suppliers')}>
                    {t('dashboard:certificates.toSuppliers')}
                  </Button>
                }
              >
                <Table<ExpiringCertificate>
                  size="small"
                  rowKey={(c) => `${c.supplier_id}-${c.kind}-${c.number}-${c.expires_on}`}
                  columns={certColumns}
                  dataSource={d.expiring_certificates}
                  pagination={d.expiring_certificates.length > 8 ? { pageSize: 8, size: 'small' } : false}
                  locale={{ emptyText: t('dashboard:certificates.empty') }}
                  data-testid="expiring-certificates"
                />
              </Card>
            </Col>
          </Row>
          {can('view_audit') && (
            <Card
              title={t('dashboard:recent.title')}
              className="dashboard-card dashboard-row"
              extra={
                <Button type="link" onClick={() => navigate('/audit')}>
                  {t('dashboard:recent.all')}
                </Button>
              }
            >
              <List<AuditEntry>
                size="small"
                dataSource={d.recent_changes}
                locale={{ emptyText: t('dashboard:recent.empty') }}
                data-testid="recent-changes"
                renderItem={(e) => (
                  <List.Item>
                    <div className="recent-item">
                      <Typography.Text type="secondary" className="recent-time">
                        {formatDateTime(e.at)}
                      </Typography.Text>
                      <span className="recent-user">{e.username}</span>
                      <ActionTag action={e.action} />
                      <span>
                        {t(`common:entities.${e.entity}`, { defaultValue: e.entity })} <Typography.Text strong>{e.entity_key}</Typography.Text>
                      </span>
                      {e.changes.length > 0 && (
                        <Typography.Text type="secondary">{t('audit:changeCount', { count: e.changes.length })}</Typography.Text>
                      )}
                    </div>
                  </List.Item>
                )}
              />
            </Card>
          )}
        </>
      )}
    </div>
  );
}
