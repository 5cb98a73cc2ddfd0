import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TablePaginationConfig, TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import type { ListQuery } from '../bindings/ListQuery';

export const SEARCH_DEBOUNCE_MS = 250;
export const PAGE_SIZES = [20, 50, 100];

export const EMPTY_LIST_QUERY: ListQuery = {
  search: null,
  status: 'active',
  category: null,
  brand: null,
  tag: null,
  qualification: null,
  warehouse_id: null,
  sort: null,
  desc: false,
  page: 1,
  page_size: PAGE_SIZES[0],
};

type FilterKey = 'status' | 'category' | 'brand' | 'tag' | 'qualification' | 'warehouse_id';

/**
 * The state of one server-side list: debounced search, filters, sort and page, as the `ListQuery` the core takes.
 * Any change of search, filter or sort goes back to page 1.
 */
export function useListQuery<T>(initial: Partial<ListQuery> = {}) {
  const [query, setQuery] = useState<ListQuery>(() => ({ ...EMPTY_LIST_QUERY, ...initial }));
  const [searchText, setSearchText] = useState(initial.search ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const onSearchChange = useCallback((text: string) => {
    setSearchText(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const search = text.trim() === '' ? null : text.trim();
      setQuery((q) => (q.search === search ? q : { ...q, search, page: 1 }));
    }, SEARCH_DEBOUNCE_MS);
  }, []);

  const setFilter = useCallback(<K extends FilterKey>(key: K, value: ListQuery[K] | undefined) => {
    setQuery((q) => ({ ...q, [key]: value ?? null, page: 1 }));
  }, []);

  const onTableChange = useCallback<NonNullable<TableProps<T>['onChange']>>((pagination, _filters, sorter, extra) => {
    setQuery((q) => {
      if (extra.action === 'sort') {
        const s = Array.isArray(sorter) ? sorter[0] : sorter;
        const field = s?.order ? String(s.columnKey ?? s.field ?? '') || null : null;
        return { ...q, sort: field, desc: field !== null && s?.order === 'descend', page: 1 };
      }
      if (extra.action === 'paginate') {
        const pageSize = pagination.pageSize ?? q.page_size;
        return { ...q, page: pageSize !== q.page_size ? 1 : (pagination.current ?? 1), page_size: pageSize };
      }
      return q;
    });
  }, []);

  const sortOrder = useCallback(
    (field: string): SortOrder => (query.sort === field ? (query.desc ? 'descend' : 'ascend') : null),
    [query.sort, query.desc],
  );

  const pagination = useCallback(
    (total: number | undefined, showTotal: (total: number) => string): TablePaginationConfig => ({
      current: query.page,
      pageSize: query.page_size,
      total: total ?? 0,
      showSizeChanger: true,
      pageSizeOptions: PAGE_SIZES,
      showTotal,
    }),
    [query.page, query.page_size],
  );

  return useMemo(
    () => ({ query, searchText, onSearchChange, setFilter, onTableChange, sortOrder, pagination }),
    [query, searchText, onSearchChange, setFilter, onTableChange, sortOrder, pagination],
  );
}
