// Local ESLint rule: the layer map of ARCHITECTURE.md, enforced at `error`.
// Layers are named by the top folder of a file. VS Code keeps the same kind of
// map (common/node/browser/electron-main); here it is core/hub/renderer/electron.
import { builtinModules } from 'node:module';
import path from 'node:path';

const LAYERS = ['core', 'hub', 'renderer', 'electron'];

/** Which of our layers each layer may import. */
const ALLOWED_LAYERS = {
  core: [],
  hub: ['core'],
  renderer: ['core'],
  // The desktop shell starts the embedded hub through its single entry point only.
  electron: ['core', 'hub/index.ts'],
};

/** npm packages each layer may import (prefix match); everything else is refused. */
const ALLOWED_PACKAGES = {
  core: ['zod', 'date-holidays'],
  hub: null, // any package except those in FORBIDDEN_PACKAGES
  renderer: null,
  electron: null,
};

const FORBIDDEN_PACKAGES = {
  core: ['electron', 'react', 'react-dom'],
  hub: ['electron', 'react', 'react-dom', '@cornerstonejs/'],
  renderer: ['electron', 'fastify', '@fastify/', 'pg', 'kysely', '@electric-sql/pglite', 'argon2'],
  electron: ['react', 'react-dom', 'fastify', '@fastify/'],
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function layerOf(relativePath) {
  const top = relativePath.split(/[\\/]/)[0];
  return LAYERS.includes(top) ? top : null;
}

function matchesPackage(specifier, names) {
  return names.some((name) => (name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`)));
}

export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the Vigie layer map (core pure; renderer never imports hub or electron; hub never imports renderer or electron).' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: "Layer '{{from}}' must not import '{{specifier}}' (layer '{{to}}'). Allowed: {{allowed}}. See docs/architecture.md.",
      builtin: "Layer '{{from}}' must not import the Node built-in '{{specifier}}'{{why}}.",
      pkg: "Layer '{{from}}' must not import the package '{{specifier}}'{{why}}.",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = path.relative(root, context.filename);
    const from = layerOf(file);
    if (!from) return {};

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), specifier));
        const to = layerOf(target);
        if (!to || to === from) return;
        const allowed = ALLOWED_LAYERS[from];
        const normalised = target.split(path.sep).join('/').replace(/\.js$/, '.ts');
        const ok = allowed.some((entry) => (entry.includes('/') ? normalised === entry : entry === to));
        if (!ok) {
          context.report({ node, messageId: 'layer', data: { from, to, specifier, allowed: allowed.join(', ') || 'none of ours' } });
        }
        return;
      }
      if (NODE_BUILTINS.has(specifier) || specifier.startsWith('node:')) {
        if (from === 'core' || from === 'renderer') {
          context.report({ node, messageId: 'builtin', data: { from, specifier, why: from === 'core' ? ' (core is pure: no I/O)' : ' (the renderer runs in a browser)' } });
        }
        return;
      }
      const allowList = ALLOWED_PACKAGES[from];
      if (allowList && !matchesPackage(specifier, allowList)) {
        context.report({ node, messageId: 'pkg', data: { from, specifier, why: ` (core may use only: ${allowList.join(', ')})` } });
        return;
      }
      if (matchesPackage(specifier, FORBIDDEN_PACKAGES[from])) {
        context.report({ node, messageId: 'pkg', data: { from, specifier, why: '' } });
      }
    }

    return {
      ImportDeclaration(node) {
        check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};

export const layeringPlugin = { rules: { layering: layeringRule } };
