/** `add(a, b)`: a + b, with the rules of the operator. */
import { arithmeticFunction } from './arithmetic.js';

export const add = arithmeticFunction('add', '+', 'a + b, as the operator `+`');
