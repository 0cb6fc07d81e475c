/** `multiply(a, b)`: a * b, with the rules of the operator. */
import { arithmeticFunction } from './arithmetic.js';

export const multiply = arithmeticFunction('multiply', '*', 'a * b, as the operator `*`');
