/** Bodies the real PHP server answers with when something is wrong (all with status 200 unless noted). */
export const TEXT_ERROR = 'An error occurred, check your Internet or contact a technician.';

export const HTML_ERROR_PAGE =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Error</title></head>' +
  '<body><h1>Something went wrong</h1><p>Your session has expired or the server encountered an error. Please log in again.</p></body></html>\n';

// Upper-case doctype on purpose: clients must match it in any case.
export const FORBIDDEN_PAGE =
  '<!DOCTYPE HTML>\n<html><head><title>Access denied</title></head>' +
  '<body><h1>Access denied</h1><p>Please use the loyalty portal.</p></body></html>\n';

export function statusPage(status: number): string {
  return `<html><head><title>${status}</title></head><body><h1>${status} Server Error</h1><hr><address>Apache</address></body></html>\n`;
}

export const NOT_FOUND_PAGE =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head><title>404 Not Found</title></head>' +
  '<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n';
