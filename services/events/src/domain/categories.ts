/**
 * The known categories. A fixed list (rather than free tags) keeps the category filter and the SPA's
 * browse menu meaningful; an event carries up to `maxCategoriesPerEvent` of them.
 */
export const eventCategories = [
  'music',
  'conference',
  'sports',
  'arts',
  'food',
  'tech',
  'business',
  'community',
  'education',
  'other',
] as const;
export type EventCategory = (typeof eventCategories)[number];

export const maxCategoriesPerEvent = 5;
