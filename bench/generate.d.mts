// Types of bench/generate.mjs, for the tests that use its inventories.
export interface InventoryShape {
  services: number;
  nodes: number;
  sites: number;
  edge: number;
  ingress: number;
  l4: number;
  tcp: number;
  redis: number;
  mongo: number;
  vips: number;
  zones: number;
  serviceFiles: number;
}
export function shape(services: number): InventoryShape;
export function generateInventory(services: number): { path: string; text: string }[];
export function writeInventory(services: number, dir: string): void;
