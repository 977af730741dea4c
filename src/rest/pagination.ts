// DRF page-number pagination: ?page=&page_size= -> {count, next, previous, results}, with absolute
// next/previous URLs, as Open edX's list endpoints answer. A page past the end is DRF's
// 404 "Invalid page." (page 1 of an empty list is an empty page).
import type { FastifyRequest } from "fastify";
import { NotFoundError } from "../domain/kernel/errors.js";
import { origin } from "./serializers.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  page: number;
  pageSize: number;
  /** Rows before this page. */
  offset: number;
}

/** The page asked for; page_size above the maximum is capped (as DRF's max_page_size does). */
export function pageOf(request: FastifyRequest): PageRequest {
  const query = request.query as { page?: number; page_size?: number };
  const page = query.page ?? 1;
  const pageSize = Math.min(query.page_size ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = (page - 1) * pageSize;
  if (offset > 2_147_483_647) throw new NotFoundError("Invalid page.");
  return { page, pageSize, offset };
}

function linkTo(request: FastifyRequest, page: number): string {
  const url = new URL(request.url, origin(request));
  if (page === 1) url.searchParams.delete("page");
  else url.searchParams.set("page", String(page));
  return url.toString();
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export function envelope<T>(request: FastifyRequest, page: PageRequest, count: number, results: T[]): Paginated<T> {
  if (page.page > 1 && page.offset >= count) throw new NotFoundError("Invalid page.");
  return {
    count,
    next: page.offset + results.length < count ? linkTo(request, page.page + 1) : null,
    previous: page.page > 1 ? linkTo(request, page.page - 1) : null,
    results,
  };
}

/** Pages a list already in memory (configuration lists: a site has tens or hundreds of rows). */
export function slice<T>(rows: readonly T[], page: PageRequest): T[] {
  return rows.slice(page.offset, page.offset + page.pageSize);
}
