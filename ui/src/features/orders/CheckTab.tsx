import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Input, Result, Space, Table, Tag, Typography } from 'antd';
import type { InputRef, TableColumnsType } from 'antd';
import { CheckCircleFilled, InboxOutlined, LoadingOutlined, ReloadOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Parcel } from '../../bindings/Parcel';
import type { ParcelLineView } from '../../bindings/ParcelLineView';
import { problemText } from '../../api/errors';
import { useCheckReset, useLoadParcel, usePack, useScan, useSetTracking, useShip } from './fulfilmentQueries';
import { ParcelStatusTag } from './ParcelsCard';

/** A weight in kilograms as the core takes it: above zero, at most three decimals (checked as text, never as a float). */
export function isWeight(text: string): boolean {
  const v = text.trim();
  return /^\d{1,4}(\.\d{1,3})?$/.test(v) && !/^0+(\.0+)?$/.test(v);
}

type Step = 'load' | 'check' | 'pack' | 'ship' | 'done' | 'closed';

function stepOf(p: Parcel | null): Step {
  if (!p) return 'load';
  if (p.status === 'allocated' || p.status === 'picking') return p.lines.every((l) => l.checked >= l.qty) ? 'pack' : 'check';
  if (p.status === 'packed') return 'ship';
  if (p.status === 'shipped' || p.status === 'delivered') return 'done';
  return 'closed';
}

/**
 * The outbound check (出库复核) at the packing bench, for a scanner and a keyboard: scan the parcel's number, then every
 * unit (a wrong or an extra unit is refused and shown in red), weigh and pack, enter or scan the tracking number and
 * ship. Each step puts the cursor where the next scan or entry goes; after shipping it is back on the parcel number.
 */
export function CheckTab() {
  const { t } = useTranslation();
  const load = useLoadParcel();
  const scanner = useScan();
  const reset = useCheckReset();
  const pack = usePack();
  const saveTracking = useSetTracking();
  const ship = useShip();
  const [entry, setEntry] = useState('');
  const [parcel, setParcel] = useState<Parcel | null>(null);
  const [scan, setScan] = useState('');
  const [last, setLast] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [weight, setWeight] = useState('');
  // The carrier and service stay from one parcel to the next: a bench usually ships with one carrier.
  const [carrier, setCarrier] = useState('');
  const [service, setService] = useState('');
  const [tracking, setTracking] = useState('');
  const [justShipped, setJustShipped] = useState(false);
  const parcelRef = useRef<InputRef>(null);
  const scanRef = useRef<InputRef>(null);
  const weightRef = useRef<InputRef>(null);
  const carrierRef = useRef<InputRef>(null);
  const trackingRef = useRef<InputRef>(null);
  // Scans typed faster than the core answers wait their turn, in order; none is lost.
  const queue = useRef<string[]>([]);
  const busy = useRef(false);

  const step = stepOf(parcel);
  const parcelNo = parcel?.parcel_no ?? '';

  // The cursor goes where the next scan or entry belongs whenever the step or the parcel changes.
  useEffect(() => {
    const target =
      step === 'check'
        ? scanRef
        : step === 'pack'
          ? weightRef
          : step === 'ship'
            ? carrierRef.current?.input?.value
              ? trackingRef
              : carrierRef
            : parcelRef;
    target.current?.focus();
  }, [step, parcelNo]);

  const fail = (e: unknown) => setProblem(problemText(t, e));

  const loadParcel = () => {
    const key = entry.trim();
    if (!key) return;
    queue.current = [];
    load
      .mutateAsync(key)
      .then((p) => {
        setParcel(p);
        setProblem(null);
        setLast(null);
        setScan('');
        setWeight(p.weight_kg);
        setTracking(p.tracking_no);
        if (p.carrier) {
          setCarrier(p.carrier);
          setService(p.service);
        }
        setJustShipped(false);
        parcelRef.current?.select();
      })
      .catch((e) => {
        setParcel(null);
        fail(e);
        parcelRef.current?.select();
      });
  };

  const drain = async (no: string) => {
    if (busy.current) return;
    busy.current = true;
    try {
      for (let code = queue.current.shift(); code !== undefined; code = queue.current.shift()) {
        try {
          const s = await scanner.mutateAsync({ parcel_no: no, code });
          setParcel((p) => (p && p.parcel_no === s.parcel_no ? { ...p, lines: s.lines } : p));
          setLast(s.sku);
          setProblem(null);
        } catch (e) {
          setLast(null);
          setProblem(t('orders:check.scanProblem', { code, reason: problemText(t, e) }));
        }
      }
    } finally {
      busy.current = false;
    }
  };

  const onScan = () => {
    const code = scan.trim();
    setScan('');
    scanRef.current?.focus();
    if (!code || !parcel) return;
    queue.current.push(code);
    void drain(parcel.parcel_no);
  };

  const onReset = () =>
    reset
      .mutateAsync(parcelNo)
      .then((s) => {
        setParcel((p) => (p ? { ...p, lines: s.lines } : p));
        setLast(null);
        setProblem(null);
        scanRef.current?.focus();
      })
      .catch(fail);

  const onPack = () => {
    if (!isWeight(weight)) {
      setProblem(t('errors:field.kg'));
      weightRef.current?.focus();
      return;
    }
    pack
      .mutateAsync({ parcel_no: parcelNo, weight_kg: weight.trim() })
      .then((p) => {
        setProblem(null);
        setParcel(p);
      })
      .catch(fail);
  };

  const trackingInput = () => ({ carrier: carrier.trim(), service: service.trim(), tracking_no: tracking.trim() });

  const onShip = () => {
    if (!carrier.trim()) {
      carrierRef.current?.focus();
      return;
    }
    if (!tracking.trim()) {
      trackingRef.current?.focus();
      return;
    }
    ship
      .mutateAsync({ parcel_no: parcelNo, tracking: trackingInput() })
      .then((p) => {
        setProblem(null);
        setParcel(p);
        setJustShipped(true);
        setEntry('');
      })
      .catch((e) => {
        fail(e);
        trackingRef.current?.select();
      });
  };

  const onSaveTracking = () =>
    saveTracking
      .mutateAsync({ parcel_no: parcelNo, tracking: trackingInput() })
      .then((p) => {
        setProblem(null);
        setParcel(p);
      })
      .catch(fail);

  const columns: TableColumnsType<ParcelLineView> = [
    { key: 'location', dataIndex: 'location', title: t('orders:check.location'), width: 110 },
    { key: 'sku', dataIndex: 'sku', title: 'SKU', width: 130 },
    { key: 'name', title: t('orders:check.name'), render: (_: unknown, l) => `${l.name}${l.spec ? ` · ${l.spec}` : ''}` },
    { key: 'barcode', dataIndex: 'barcode', title: t('orders:check.barcode'), width: 150 },
    { key: 'qty', dataIndex: 'qty', title: t('orders:qty'), align: 'right', width: 70 },
    {
      key: 'checked',
      title: t('orders:check.checked'),
      align: 'right',
      width: 100,
      render: (_: unknown, l) =>
        l.checked >= l.qty ? (
          <Typography.Text type="success" data-testid={`check-done-${l.line_id}`}>
            <CheckCircleFilled /> {l.checked}
          </Typography.Text>
        ) : (
          <Typography.Text strong>{l.checked}</Typography.Text>
        ),
    },
  ];

  const checked = parcel?.lines.reduce((n, l) => n + Math.min(l.checked, l.qty), 0) ?? 0;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card className="list-card">
        <Flex gap={12} wrap align="center">
          <Input
            ref={parcelRef}
            size="large"
            allowClear
            style={{ width: 320 }}
            prefix={<InboxOutlined />}
            placeholder={t('orders:check.parcelPlaceholder')}
            aria-label={t('orders:check.parcelPlaceholder')}
            value={entry}
            onChange={(e) => setEntry(e.target.value)}
            onPressEnter={loadParcel}
            suffix={<LoadingOutlined style={{ visibility: load.isPending ? 'visible' : 'hidden' }} />}
            data-testid="check-parcel"
          />
          <Typography.Text type="secondary">{t('orders:check.hint')}</Typography.Text>
        </Flex>
      </Card>

      {problem && (
        <Alert
          type="error"
          showIcon
          message={<span style={{ fontSize: 18, fontWeight: 600 }}>{problem}</span>}
          closable
          onClose={() => setProblem(null)}
          data-testid="check-error"
        />
      )}

      {parcel && (
        <Card
          className="list-card"
          title={
            <Space>
              {parcel.parcel_no}
              <ParcelStatusTag status={parcel.status} />
            </Space>
          }
          extra={
            step === 'check' || step === 'pack' ? (
              <Button icon={<ReloadOutlined />} loading={reset.isPending} onClick={() => void onReset()} data-testid="check-reset">
                {t('orders:check.reset')}
              </Button>
            ) : null
          }
        >
          <Descriptions size="small" column={3} bordered data-testid="check-parcel-info">
            <Descriptions.Item label={t('orders:parcels.warehouse')}>{parcel.warehouse}</Descriptions.Item>
            <Descriptions.Item label={t('orders:parcels.orders')}>{parcel.orders.join(', ')}</Descriptions.Item>
            <Descriptions.Item label={t('orders:parcels.units')}>
              {checked} / {parcel.units}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders:receiver')} span={3}>
              {parcel.receiver} {parcel.phone} {parcel.address}
            </Descriptions.Item>
            {parcel.buyer_message && (
              <Descriptions.Item label={t('orders:buyerMessage')} span={3}>
                <Typography.Text type="warning" strong>
                  {parcel.buyer_message}
                </Typography.Text>
              </Descriptions.Item>
            )}
            {parcel.weight_kg && <Descriptions.Item label={t('orders:check.weight')}>{parcel.weight_kg} kg</Descriptions.Item>}
          </Descriptions>

          {step === 'check' && (
            <Flex gap={12} align="center" wrap style={{ marginTop: 16 }}>
              <Input
                ref={scanRef}
                size="large"
                style={{ width: 320 }}
                placeholder={t('orders:check.scanPlaceholder')}
                aria-label={t('orders:check.scanPlaceholder')}
                value={scan}
                onChange={(e) => setScan(e.target.value)}
                onPressEnter={onScan}
                autoComplete="off"
                data-testid="check-scan"
              />
              {last && (
                <Tag color="green" data-testid="check-last">
                  {t('orders:check.last', { sku: last })}
                </Tag>
              )}
            </Flex>
          )}

          <div data-testid="check-lines" style={{ marginTop: 16 }}>
            <Table<ParcelLineView>
              rowKey="line_id"
              size="middle"
              columns={columns}
              dataSource={parcel.lines}
              pagination={false}
              onRow={(l) => ({ style: l.sku === last ? { background: '#f6ffed' } : undefined })}
            />
          </div>

          {step === 'pack' && (
            <Space direction="vertical" size={12} style={{ width: '100%', marginTop: 16 }}>
              <Alert type="success" showIcon message={t('orders:check.complete')} data-testid="check-complete" />
              <Flex gap={12} align="center" wrap>
                <Input
                  ref={weightRef}
                  size="large"
                  style={{ width: 220 }}
                  inputMode="decimal"
                  prefix={<Typography.Text type="secondary">{t('orders:check.weight')}</Typography.Text>}
                  suffix="kg"
                  aria-label={t('orders:check.weight')}
                  placeholder="0.500"
                  value={weight}
                  onChange={(e) => setWeight(e.target.value)}
                  onPressEnter={onPack}
                  status={weight.trim() !== '' && !isWeight(weight) ? 'error' : undefined}
                  data-testid="check-weight"
                />
                <Button type="primary" size="large" icon={<InboxOutlined />} loading={pack.isPending} onClick={onPack} data-testid="check-pack">
                  {t('orders:check.pack')}
                </Button>
              </Flex>
            </Space>
          )}

          {step === 'ship' && (
            <Flex gap={12} align="center" wrap style={{ marginTop: 16 }}>
              <Input
                ref={carrierRef}
                size="large"
                style={{ width: 200 }}
                placeholder={t('orders:check.carrier')}
                aria-label={t('orders:check.carrier')}
                value={carrier}
                onChange={(e) => setCarrier(e.target.value)}
                onPressEnter={() => trackingRef.current?.focus()}
                maxLength={64}
                data-testid="ship-carrier"
              />
              <Input
                size="large"
                style={{ width: 160 }}
                placeholder={t('orders:check.service')}
                aria-label={t('orders:check.service')}
                value={service}
                onChange={(e) => setService(e.target.value)}
                onPressEnter={() => trackingRef.current?.focus()}
                maxLength={64}
                data-testid="ship-service"
              />
              <Input
                ref={trackingRef}
                size="large"
                style={{ width: 260 }}
                placeholder={t('orders:check.trackingNo')}
                aria-label={t('orders:check.trackingNo')}
                value={tracking}
                onChange={(e) => setTracking(e.target.value)}
                onPressEnter={onShip}
                autoComplete="off"
                maxLength={64}
                data-testid="ship-tracking"
              />
              <Button type="primary" size="large" icon={<SendOutlined />} loading={ship.isPending} onClick={onShip} data-testid="ship-submit">
                {t('orders:check.ship')}
              </Button>
              <Button icon={<SaveOutlined />} loading={saveTracking.isPending} disabled={!carrier.trim() || !tracking.trim()} onClick={() => void onSaveTracking()} data-testid="ship-save">
                {t('orders:check.saveTracking')}
              </Button>
            </Flex>
          )}

          {step === 'done' &&
            (justShipped ? (
              <div data-testid="check-shipped">
                <Result
                  status="success"
                  title={t('orders:check.shipped', { parcel: parcel.parcel_no })}
                  subTitle={t('orders:check.shippedTracking', { carrier: parcel.carrier, tracking: parcel.tracking_no })}
                  extra={<Typography.Text type="secondary">{t('orders:check.next')}</Typography.Text>}
                />
              </div>
            ) : (
              <Alert
                style={{ marginTop: 16 }}
                type="info"
                showIcon
                message={t('orders:check.alreadyShipped', { carrier: parcel.carrier, tracking: parcel.tracking_no })}
                data-testid="check-closed"
              />
            ))}

          {step === 'closed' && (
            <Alert style={{ marginTop: 16 }} type="warning" showIcon message={t('orders:check.notOpen')} data-testid="check-closed" />
          )}
        </Card>
      )}
    </Space>
  );
}
