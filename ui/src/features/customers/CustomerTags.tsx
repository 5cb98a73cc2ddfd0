import { Tag } from 'antd';

export function CustomerTags({ tags }: { tags: string[] }) {
  return (
    <>
      {tags.map((tag) => (
        <Tag key={tag} color={tag.toUpperCase() === 'VIP' ? 'gold' : 'blue'}>
          {tag}
        </Tag>
      ))}
    </>
  );
}
