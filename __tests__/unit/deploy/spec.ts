/** Helpers of the deploy tests: a compose service's spec as the plan carries it, the seeds' repository. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../../../src/compose/load.js';
import type { DeploySpec, ServicePlan } from '../../../src/plan/model.js';
import { planServices } from '../../../src/plan/services.js';

/** The service plans of a compose text, read by our parser from a compose.yaml of its own folder. */
export function plansOf(text: string): ServicePlan[] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'deploy-spec-'));
  try {
    writeFileSync(path.join(root, 'compose.yaml'), text);
    const project = loadProject({ root, files: [path.join(root, 'compose.yaml')], env: {} });
    return planServices({ root, project, profiles: [] }).services;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The spec of a service (the first one by default) of a compose text. */
export function specOf(text: string, name?: string): DeploySpec {
  const services = plansOf(text);
  const service = name ? services.find((s) => s.name === name)! : services[0]!;
  return service.deploy!;
}

/** Every spec of a compose text. */
export function specsOf(text: string): DeploySpec[] {
  return plansOf(text).map((s) => s.deploy!);
}

/**
 * The seeds' platform (docs/deploy.md shows this compose file, and a test keeps the two the same):
 * a 2 GB host, a memory limit per service that add up to 2.26GB, a healthcheck per service except
 * the WhatsApp agent (no limit either), the backend's from its Dockerfile, a one-shot migration.
 */
export const SEEDS_COMPOSE = `services:
  postgres:
    image: postgres:16-alpine
    deploy:
      resources:
        limits: { memory: 256M }
        reservations: { memory: 128M }
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
  redis:
    image: redis:7-alpine
    deploy:
      resources:
        limits: { memory: 64M }
        reservations: { memory: 32M }
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  backend:
    build: ./backend # its Dockerfile has a HEALTHCHECK
    deploy:
      resources:
        limits: { memory: 350M }
        reservations: { memory: 256M }
  model-llm:
    build: ./model-llm
    deploy:
      resources:
        limits: { memory: 256M }
        reservations: { memory: 192M }
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8002/health"]
  service-llm:
    build: ./service-llm
    deploy:
      resources:
        limits: { memory: 512M }
        reservations: { memory: 384M }
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8001/health"]
  audio:
    build: ./audio
    deploy:
      resources:
        limits: { memory: 350M }
        reservations: { memory: 256M }
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8003/health"]
  whatsapp-agent:
    build: ./whatsapp-agent # no memory limit, no healthcheck
  frontend:
    build: ./frontend
    deploy:
      resources:
        limits: { memory: 128M }
        reservations: { memory: 64M }
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1"]
  migrate:
    build: ./backend
    command: ["alembic", "upgrade", "head"]
    restart: "no" # a one-shot job: no healthcheck expected
    mem_limit: 240m
    mem_reservation: 128m
`;

const python = (extra = '') =>
  `FROM python:3.12-slim\nRUN pip install --no-cache-dir fastapi\n${extra}CMD ["python", "main.py"]\n`;

/** The seeds' repository: the compose file and a Dockerfile per built service. */
export const SEEDS_REPO: Record<string, string> = {
  'compose.yaml': SEEDS_COMPOSE,
  'backend/Dockerfile': python('HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1\n'),
  'model-llm/Dockerfile': python(),
  'service-llm/Dockerfile': python(),
  'audio/Dockerfile': python(),
  'whatsapp-agent/Dockerfile': python(),
  'frontend/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n',
  'frontend/dist/index.html': '<html></html>\n',
};
