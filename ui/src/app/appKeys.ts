/** Query keys of the app itself (start-up status and session). */
export const appKeys = {
  all: ['app'] as const,
  status: ['app', 'status'] as const,
};
