import { Button } from 'antd';
import type { ButtonProps } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLanguageSwitch } from './language';

/** Toggles 中文 ⇄ English; shows the language it switches to, carries the current one in `data-lang`. */
export function LanguageSwitch(props: Pick<ButtonProps, 'type' | 'size' | 'className'>) {
  const { t } = useTranslation();
  const { language, next, toggle } = useLanguageSwitch();
  return (
    <Button
      {...props}
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      data-lang={language}
      title={t('common:header.language')}
      onClick={() => void toggle()}
    >
      {t(`common:languages.${next}`)}
    </Button>
  );
}
