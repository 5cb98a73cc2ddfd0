import { Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';

type Props = {
  value: string;
  onChange: (text: string) => void;
  placeholder: string;
  testId?: string;
  width?: number;
};

/** The search box of a list; the list state debounces it before asking the core. */
export function ListSearch({ value, onChange, placeholder, testId, width = 300 }: Props) {
  return (
    <Input
      allowClear
      prefix={<SearchOutlined />}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      data-testid={testId}
      style={{ width }}
      aria-label={placeholder}
    />
  );
}
