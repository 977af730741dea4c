// Values as the real service's API writes them (Django REST framework settings of openedx/credentials).

/** REST_FRAMEWORK.DATETIME_FORMAT "%Y-%m-%dT%H:%M:%SZ": UTC, whole seconds. */
export const drfDateTime = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;
