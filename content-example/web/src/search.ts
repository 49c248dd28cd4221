// EP-011: search moves to the server (GET /api/v1/search). Until step 4 lands this module
// still downloads the full package list and filters it here (TD-010).

export interface PackageSummary {
  name: string;
  description: string;
  latest: string;
}

let cache: PackageSummary[] | null = null;

async function allPackages(): Promise<PackageSummary[]> {
  if (cache === null) {
    const res = await fetch("/api/v1/packages");
    if (!res.ok) throw new Error(`package list failed: ${res.status}`);
    cache = (await res.json()) as PackageSummary[];
  }
  return cache;
}

export async function search(query: string, limit = 20): Promise<PackageSummary[]> {
  const q = query.trim().toLowerCase();
  if (q.length === 0) return [];
  const pkgs = await allPackages();
  const byName = pkgs.filter((p) => p.name.toLowerCase().includes(q));
  const byDescription = pkgs.filter(
    (p) => !p.name.toLowerCase().includes(q) && p.description.toLowerCase().includes(q),
  );
  return [...byName, ...byDescription].slice(0, limit);
}

// EP-011: replacement, behind a flag until the endpoint ships.
export async function searchRemote(query: string, limit = 20, signal?: AbortSignal): Promise<PackageSummary[]> {
  const params = new URLSearchParams({ q: query, limit: String(limit) });
  const res = await fetch(`/api/v1/search?${params}`, { signal });
  if (!res.ok) throw new Error(`search failed: ${res.status}`);
  return ((await res.json()) as { results: PackageSummary[] }).results;
}
