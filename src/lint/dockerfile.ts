/**
 * The lint's door to the one Dockerfile model (src/dockerfile/): its files import the model through
 * here. Nothing is parsed or defined here.
 */
export * from '../dockerfile/index.js';
