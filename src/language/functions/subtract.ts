/** `subtract(a, b)`: a - b, with the rules of the operator. */
import { arithmeticFunction } from './arithmetic.js';

export const subtract = arithmeticFunction('subtract', '-', 'a - b, as the operator `-`');
