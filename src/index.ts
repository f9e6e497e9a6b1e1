// The package's public door: named re-exports of each part's own door.
export {};
